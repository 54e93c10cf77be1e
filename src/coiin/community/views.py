"""Discussion pages: the feed, a space, a post and its comments, moderation, attachments
and search. Each view: fetch → authorize (policy) → validate (form) → service → respond."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coiin import access
from coiin.access import Action
from coiin.web import member_required

from . import previews, responses, search, services
from .forms import CommentForm, ModerateForm, PostForm, ReasonForm, SearchForm
from .models import Attachment, Comment, ModerationAction, Post, Report, Space, Tag
from .pages import serve_file
from .responses import form_errors as _form_errors

PAGE_SIZE = 20


def feed_posts(posts):
    """What a list of posts needs, in a fixed number of queries however long the page."""
    comments = (Comment.objects.filter(post=OuterRef("pk"), hidden=False).order_by()
                .values("post").annotate(n=Count("pk")).values("n"))
    return (posts.select_related("author", "space__network", "space__team__jurisdiction",
                                 "space__team__learning_network")
            .annotate(comment_count=Subquery(comments, output_field=IntegerField()))
            # The tags with what their labels in the reader's language need.
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.select_related(
                "measure", "network").prefetch_related("target"))))


def _page(request: HttpRequest, posts, per_page: int = PAGE_SIZE):
    try:
        per_page = min(max(int(request.GET.get("per_page", per_page)), 5), 100)
    except ValueError:
        per_page = PAGE_SIZE
    return Paginator(posts, per_page).get_page(request.GET.get("page"))


FEED_FILTERS = {"": gettext_lazy("Everything"), "mentions": gettext_lazy("Mentions of me"),
                "team": gettext_lazy("My teams"), "networks": gettext_lazy("My learning networks")}


@require_GET
@member_required
def feed(request: HttpRequest) -> HttpResponse:
    user = request.user
    only = request.GET.get("only", "")
    posts = access.visible_posts(user).filter(hidden=False)
    if only == "mentions":
        posts = posts.filter(mentions=user)
    elif only == "team":
        posts = posts.filter(placements__space__team__in=access.own_teams(user))
    elif only == "networks":
        teams, team_networks, coached = access.community_ids(user)
        posts = posts.filter(placements__space__network_id__in=team_networks | coached)
    if only in {"team", "networks"}:
        posts = posts.distinct()
    tag = _tag_filter(request)
    if tag is not None:
        posts = posts.filter(tags=tag)
    spaces = list(access.visible_spaces(user).select_related("team__jurisdiction", "network"))
    extra = urlencode({k: v for k, v in (("only", only), ("tag", tag.pk if tag else ""))
                       if v})
    return render(request, "community/feed.html", {
        "page": _page(request, feed_posts(posts)), "only": only, "filters": FEED_FILTERS,
        "spaces": spaces, "tag": tag, "extra": extra,
    })


def _tag_filter(request: HttpRequest) -> Tag | None:
    """The feed's ?tag=<id>: an unknown or malformed tag is a 404, not an empty feed."""
    raw = request.GET.get("tag", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("No such tag.")
    return get_object_or_404(Tag, pk=int(raw))


@require_http_methods(["GET", "POST"])
@member_required
def space_detail(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space.objects.select_related(
        "team__jurisdiction", "team__learning_network", "network"), pk=pk)
    user = request.user
    access.require(user, Action.POST_IN_SPACE if request.method == "POST" else Action.VIEW_SPACE,
                   space)
    writable = [s for s in access.visible_spaces(user).select_related("team")
                if s.pk != space.pk and access.can(user, Action.POST_IN_SPACE, s)]
    form = PostForm(request.POST or None, request.FILES or None, spaces=writable, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.create_post(
                author=user, spaces=[space, *data["also_in"]], kind=data["kind"],
                title=data["title"], body=data["body"],
                tags=[services.tag_for(obj) for obj in data["tags"]],
                resource=data["resource"], files=form.checked_files)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Posted."))
            return redirect(post)
    moderator = access.can(user, Action.MODERATE_SPACE, space)
    posts = Post.objects.filter(placements__space=space)
    if not moderator:
        posts = posts.filter(hidden=False)
    posts = feed_posts(posts).order_by("-pinned", "-created_at", "-id")
    return render(request, "community/space.html", {
        "space": space, "page": _page(request, posts), "form": form,
        "may_write": access.can(user, Action.POST_IN_SPACE, space), "moderator": moderator,
        "open_reports": Report.objects.filter(post__space=space, resolved_at__isnull=True)
        .count() if moderator else 0,
    }, status=400 if request.method == "POST" else 200)


def _post(pk: int) -> Post:
    return get_object_or_404(Post.objects.select_related("author", "space__team__jurisdiction",
                                                        "space__team__learning_network",
                                                        "space__network",
                                                         "answer__author", "resource"), pk=pk)


def _post_page(request: HttpRequest, post: Post, comment_form: CommentForm | None = None,
               status: int = 200) -> HttpResponse:
    user = request.user
    moderator = access.can(user, Action.MODERATE_POST, post)
    comments = list(post.comments.select_related("author").filter(
        **({} if moderator else {"hidden": False})))
    top = [c for c in comments if c.parent_id is None]
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    threads = [(c, replies.get(c.pk, [])) for c in top]
    context = {
        "post": post, "threads": threads, "spaces": access.post_spaces(post),
        "tags": list(post.tags.select_related("measure", "network").prefetch_related("target")),
        "attachments": list(post.attachments.all()),
        "cards": previews.cards(user, post.links),
        "may_comment": access.can(user, Action.COMMENT_ON_POST, post),
        "may_mark": access.can(user, Action.MARK_ANSWER, post), "moderator": moderator,
        "comment_form": comment_form or CommentForm(),
        "reason_form": ReasonForm(),
    }
    if moderator:
        context["log"] = list(post.moderation.select_related(
            "actor", *ModerationAction.SPACES)[:20])
        context["reports"] = list(post.reports.filter(resolved_at__isnull=True)
                                  .select_related("reporter"))
        context["move_to"] = [
            s for s in access.visible_spaces(user).select_related(
                "team__jurisdiction", "team__learning_network", "network")
            if s.pk != post.space_id and access.can(user, Action.MODERATE_SPACE, s)]
    return render(request, "community/post.html", context, status=status)


@require_GET
@member_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    access.require(request.user, Action.VIEW_POST, post)
    return _post_page(request, post)


@require_POST
@member_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    access.require(request.user, Action.COMMENT_ON_POST, post)

    def save(data):
        parent = (get_object_or_404(Comment, pk=data["parent"], post=post)
                  if data["parent"] else None)
        return services.add_comment(post=post, author=request.user, body=data["body"],
                                    parent=parent)

    return responses.submit(CommentForm(request.POST), save=save,
                            page=lambda form: _post_page(request, post, comment_form=form))


@require_POST
@member_required
def mark_answer(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    access.require(request.user, Action.VIEW_POST, post)
    if not access.can(request.user, Action.MARK_ANSWER, post):
        raise PermissionDenied(_("Only the question's author or faculty may mark the answer."))
    if request.POST.get("clear"):
        services.clear_answer(post=post, by=request.user)
        messages.success(request, _("The answer mark is removed."))
        return redirect(post)
    answer = get_object_or_404(Comment, pk=request.POST.get("comment") or 0, post=post)
    try:
        services.mark_answered(post=post, comment=answer, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(post)
    messages.success(request, _("Marked as answered."))
    return redirect(post)


@require_POST
@member_required
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    access.require(request.user, Action.MODERATE_POST, post)
    form = ModerateForm(request.POST)
    if form.is_valid():
        try:
            services.moderate(post=post, action=form.cleaned_data["action"], by=request.user,
                              reason=form.cleaned_data["reason"],
                              to_space=form.cleaned_data["to_space"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done; the action is recorded."))
            return redirect(post)
    else:
        messages.error(request, _("Say why: the reason is recorded with the action."))
    return _post_page(request, post, status=400)


@require_POST
@member_required
def hide_comment(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(Comment.objects.select_related("post__space__team"), pk=pk)
    access.require(request.user, Action.MODERATE_POST, c.post)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why: the reason is recorded with the action."))
        return _post_page(request, c.post, status=400)
    services.hide_comment(comment=c, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Comment hidden; the action is recorded."))
    return redirect(c.post)


@require_POST
@member_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    access.require(request.user, Action.VIEW_POST, post)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is wrong with the post."))
        return _post_page(request, post, status=400)
    c = None
    if request.POST.get("comment"):
        c = get_object_or_404(Comment, pk=request.POST["comment"], post=post)
    services.report(post=post, by=request.user, reason=form.cleaned_data["reason"], comment=c)
    messages.success(request, _("Thank you: the moderators will look at it."))
    return redirect(post)


@require_POST
@member_required
def resolve_report(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Report.objects.select_related("post__space__team"), pk=pk)
    access.require(request.user, Action.MODERATE_POST, row.post)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the report was resolved."))
        return _post_page(request, row.post, status=400)
    services.resolve_report(report_row=row, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Report resolved."))
    return redirect(row.post)


@require_GET
@member_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Attachment.objects.select_related("post__space__team"), pk=pk)
    access.require(request.user, Action.VIEW_POST, row.post)
    return serve_file(row.file, row.name, row.content_type)


@require_GET
@member_required
def search_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = SearchForm(request.GET or None,
                      spaces=access.visible_spaces(user).select_related("team"))
    hits: list[search.Hit] = []
    page = 1
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        try:
            page = max(int(request.GET.get("page", 1)), 1)
        except ValueError:
            page = 1
        hits = search.search(user, data["q"], space=data["space"], kind=data["kind"] or None,
                             tag=data["tag"], since=data["since"], until=data["until"],
                             limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "community/search.html", {
        "form": form, "hits": hits[:PAGE_SIZE], "has_next": len(hits) > PAGE_SIZE,
        "page_number": page, "query": query.urlencode(),
        "searched": bool(form.is_bound and form.is_valid() and form.cleaned_data["q"]),
    })

