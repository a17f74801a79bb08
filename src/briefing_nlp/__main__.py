"""`python -m briefing_nlp`: the same command as `briefing-nlp`."""

from briefing_nlp.cli import app

app()
