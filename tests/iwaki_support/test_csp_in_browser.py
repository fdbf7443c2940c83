"""A real browser enforces the Content Security Policy and finds nothing on the pages to block."""

import pytest


def csp_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.mark.browser
def test_home_and_admin_pages_break_no_csp_rule(page, sign_in, administrator):
    sign_in(administrator)
    violations = csp_violations(page)
    for path in ["/", "/admin/", "/admin/councils/meeting/", "/admin/councils/meeting/add/"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert violations == []
