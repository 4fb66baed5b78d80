"""Back-office upload: keep the uploaded file between preview and confirm.

The file is stored under DATA_DIR/imports/ with a random token that only the
uploader's session knows; confirm plans again from the stored file (the catalog may
have changed in between) and applies it. The stored file is removed afterwards.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.org.models import Role
from gongkai.org.permissions import has_role

from ..models import Domain
from .importer import apply_import, plan_import
from .model import ExchangeError
from .safety import Limits

__all__ = ["ExchangeError", "confirm", "preview"]
SESSION_KEY = "catalog_import_uploads"
PREVIEW_ROWS = 200


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored(request, token: str) -> Path:
    if token not in request.session.get(SESSION_KEY, {}):
        raise PermissionDenied("上传的文件已失效，请重新上传。")
    path = _folder() / token
    if not path.is_file():
        raise ExchangeError("上传的文件已失效，请重新上传。")
    return path


def _options(request, agencies):
    agency = agencies.filter(code=request.POST.get("agency", "")).first()
    if agency is None:
        raise ValidationError("请选择编制单位。")
    domain = request.POST.get("domain") or None
    if domain and not Domain.objects.filter(code=domain).exists():
        raise ValidationError("未知的领域。")
    return agency, domain


def preview(request, agencies) -> dict:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError("请选择要导入的文件。")
    limits = Limits.from_settings()
    if upload.size > limits.max_bytes:
        raise ExchangeError(f"文件过大（{upload.size // 1_000_000} MB），请拆分后再导入。")
    agency, domain = _options(request, agencies)
    token = secrets.token_hex(16)
    path = _folder() / token
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    try:
        plan = plan_import(path, agency, domain=domain, limits=limits)
    except Exception:
        path.unlink(missing_ok=True)
        raise
    plan.file_name = upload.name
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = upload.name
    request.session[SESSION_KEY] = uploads
    return {
        "plan": plan,
        "counts": plan.as_dict(),
        "preview_rows": [r for r in plan.rows if r.action != "unchanged"][:PREVIEW_ROWS],
        "token": token,
        "agency": agency,
        "domain": domain or "",
        "can_publish": has_role(request.user, agency, (Role.ADMIN,)),
    }


def confirm(request, agencies):
    token = request.POST.get("token", "")
    path = _stored(request, token)
    agency, domain = _options(request, agencies)
    try:
        plan = plan_import(path, agency, domain=domain)
        plan.file_name = request.session[SESSION_KEY].get(token, plan.file_name)
        return apply_import(
            plan,
            request.user,
            skip_invalid=bool(request.POST.get("skip_invalid")),
            publish=bool(request.POST.get("publish")),
        )
    finally:
        path.unlink(missing_ok=True)
        uploads = request.session.get(SESSION_KEY, {})
        uploads.pop(token, None)
        request.session[SESSION_KEY] = uploads
