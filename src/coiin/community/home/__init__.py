"""A person's home ("My work"): their teams, what is due, what waits for their review or
answer, and what comes next. The page people land on after signing in."""
