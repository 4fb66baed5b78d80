"""Secure defaults a deployment relies on."""

from django.contrib.auth import get_user_model

from gongkai import settings as project_settings


def test_argon2_is_the_password_hasher():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_is_throttled_after_repeated_failures(client, db):
    user = get_user_model().objects.create_user(
        "clerk", password="right password 123", is_staff=True
    )
    for _ in range(project_settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            "/admin/login/?next=/admin/", {"username": "clerk", "password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "clerk", "password": "wrong"})
    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()
    # Locked now: even the right password is refused.
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "clerk", "password": "right password 123"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert user.is_active


def test_admin_login_works_with_the_right_password(client, db):
    get_user_model().objects.create_user("clerk2", password="right password 123", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "clerk2", "password": "right password 123"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_security_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_forms_need_csrf(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
