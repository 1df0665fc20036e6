import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_scripts_styles_or_handlers():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{template}: inline <script>")
        if re.search(r"<style\b|\sstyle=\"", text):
            offenders.append(f"{template}: inline style")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{template}: inline event handler")
    assert offenders == []


def run_deploy_check(**extra_env) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "k3#Qz8!vR2@wLp5^Nf7*Ty1&Hb9%Jc4(Xd6)Me0-Ug" * 2,
        "ALLOWED_HOSTS": "innovatieloket.example",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_profile_passes_check_deploy():
    result = run_deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_the_development_secret_key():
    result = run_deploy_check(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _production_database_settings(**extra_env) -> dict:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "k3#Qz8!vR2@wLp5^Nf7*Ty1&Hb9%Jc4(Xd6)Me0-Ug" * 2,
        "DATABASE_URL": "postgres://user:secret@db.example:5432/innovatieloket",
        **extra_env,
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(json.dumps([d['CONN_MAX_AGE'], "
        "d['CONN_HEALTH_CHECKS'], d['DISABLE_SERVER_SIDE_CURSORS']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_database_connections_and_checks_them_before_reuse():
    assert _production_database_settings() == [60, True, False]
    # Behind pgbouncer in transaction mode (README, Scaling out):
    behind_pgbouncer = _production_database_settings(
        DATABASE_CONN_MAX_AGE="0", DATABASE_DISABLE_SERVER_SIDE_CURSORS="true"
    )
    assert behind_pgbouncer == [0, True, True]
