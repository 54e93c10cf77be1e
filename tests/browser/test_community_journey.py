"""A data lead asks a question mentioning faculty; the faculty member finds it in the
inbox, answers, and the question shows as answered."""

from __future__ import annotations

from coiin.community import services
from coiin.community.models import Post

from .conftest import screenshot
from .test_data_entry_journey import sign_in


def test_data_lead_asks_faculty_answers_from_the_inbox(
        page, live_server, transactional_db, team, data_lead, faculty):
    base = live_server.url
    space = services.space_for(team)
    sign_in(page, base, data_lead)
    page.goto(base + "/community/")
    page.get_by_role("link", name=space.name).first.click()
    page.get_by_label("Kind of post").select_option("question")
    page.get_by_label("Title").fill("Night-shift crib audits?")
    page.get_by_label("Text").fill("How do other teams audit nights, @fay.faculty?")
    page.get_by_role("button", name="Post", exact=True).click()
    assert "Open question" in page.locator("article.post").inner_text()
    assert page.locator("a.mention").inner_text() == "@fay.faculty"
    screenshot(page, "community-question")

    sign_in(page, base, faculty)
    page.goto(base + "/community/")
    assert page.locator(".unread-count").inner_text() == "1"
    page.get_by_role("link", name="Inbox").click()
    page.get_by_role("link", name="mentioned you in the post “Night-shift crib audits?”").click()
    page.get_by_label("Your comment").fill("We rotate one night audit a week per unit.")
    page.get_by_role("button", name="Comment", exact=True).click()
    page.get_by_role("button", name="Mark as the answer").click()
    assert "Marked as answered" in page.locator(".messages").inner_text()
    assert "Answered" in page.locator("article.post .post-meta").inner_text()
    assert "The answer" in page.locator(".comment.is-answer").inner_text()
    screenshot(page, "community-answered")
    post = Post.objects.get()
    assert post.answer is not None and post.answer.author == faculty
