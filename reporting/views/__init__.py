"""Views of the reporting app, one module per area; each module declares its own `urlpatterns`."""
