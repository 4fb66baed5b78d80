"""The portal's xlsx/docx downloads per domain and per agency, in the standard template."""

import io

import docx
import openpyxl
import pytest

from tests.portal.helpers import publish_item


@pytest.fixture
def published(zone, elements):
    publish_item(zone["mzj"], "social_assistance", elements)
    publish_item(zone["mzj"], "social_assistance", elements, level2="低保对象名单")
    publish_item(
        zone["jyj"], "compulsory_education", elements, level1="招生管理", level2="招生计划"
    )


def test_domain_xlsx_download(client, published):
    response = client.get("/domains/social_assistance/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.active
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "社会救助领域基层政务公开标准目录" in text
    assert "审核确认结果" in text and "低保对象名单" in text and "招生计划" not in text
    assert "■政府网站" in text and "□政府公报" in text


def test_agency_docx_download(client, published, zone):
    response = client.get(f"/agencies/{zone['jyj'].code}/export.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "招生计划" in cells and "审核确认结果" not in cells


@pytest.mark.parametrize(
    "url",
    [
        "/domains/social_assistance/export.pdf",
        "/domains/nope/export.xlsx",
        "/agencies/NOPE/export.docx",
    ],
)
def test_bad_downloads_are_404(client, published, url):
    assert client.get(url).status_code == 404


def test_pages_link_to_downloads(client, published, zone):
    page = client.get("/domains/social_assistance/").content.decode()
    assert "/domains/social_assistance/export.xlsx" in page
    assert "/domains/social_assistance/export.docx" in page
    page = client.get(f"/agencies/{zone['mzj'].code}/").content.decode()
    assert f"/agencies/{zone['mzj'].code}/export.xlsx" in page
