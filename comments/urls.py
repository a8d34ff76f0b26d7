from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("form/<int:article_id>/token/", views.form_token, name="form_token"),
]
