app_name = "needs_survey"

urlpatterns: list = []
