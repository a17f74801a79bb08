"""The review web app (`briefing-nlp serve`)."""
