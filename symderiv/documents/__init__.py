"""Documents: every equation of a Markdown or LaTeX file judged in place, with
the context read from the document (`symderiv check`). Its one door onto the
claims engine is `symderiv.claims.check_claim`, in judge.py."""
