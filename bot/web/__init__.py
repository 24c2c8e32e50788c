"""The caseworkers' web dashboard (Starlette, server-rendered Jinja2 pages)."""
