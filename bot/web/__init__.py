"""The web channel: a mobile chat page and a draft page, one ASGI app (see `bot.web.app`)."""
