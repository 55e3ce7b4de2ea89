"""Every Confluence endpoint of the sandbox, with what each one needs."""

from __future__ import annotations

from typing import Any

from atlctl.sandbox.confluence import rest, v2, web
from atlctl.sandbox.confluence.deployment import PAT_VERSION, ConfluenceEndpoint
from atlctl.sandbox.router import Router


def build(cloud: bool) -> Router[ConfluenceEndpoint]:
    router: Router[ConfluenceEndpoint] = Router()

    def add(methods: str, path: str, handler, **needs: Any) -> None:
        for method in methods.split():
            router.add(method, path, ConfluenceEndpoint(method, path, handler, **needs))

    user = {"anonymous": False}
    api = "/rest/api"
    add("GET", "/rest/applinks/1.0/manifest", rest.manifest, public=True)
    add("GET", f"{api}/user/current", rest.current_user, public=True)
    add("GET", f"{api}/space", rest.list_spaces)
    add("POST", f"{api}/space", rest.create_space, **user)
    add("GET", f"{api}/space/{{key}}", rest.get_space)
    add("DELETE", f"{api}/space/{{key}}", rest.delete_space, **user)
    add("GET", f"{api}/content", rest.list_content)
    add("POST", f"{api}/content", rest.create_content, **user)
    add("GET", f"{api}/content/search", rest.content_search)
    add("GET", f"{api}/content/{{id}}", rest.get_content)
    add("PUT", f"{api}/content/{{id}}", rest.update_content, **user)
    add("DELETE", f"{api}/content/{{id}}", rest.delete_content, **user)
    add("GET", f"{api}/content/{{id}}/history", rest.history)
    # before the templated child/{type}: the router takes the first template that matches
    add("GET", f"{api}/content/{{id}}/child/attachment", rest.children_or_upload)
    add("POST", f"{api}/content/{{id}}/child/attachment", rest.children_or_upload, **user)
    add("GET", f"{api}/content/{{id}}/child/{{type}}", rest.children)
    add("GET", f"{api}/content/{{id}}/descendant/page", rest.descendants)
    add("POST", f"{api}/content/{{id}}/child/attachment/{{att}}/data", rest.attachment_data, **user)
    add("GET", f"{api}/content/{{id}}/child/attachment/{{att}}/download", rest.download_rest)
    add("GET", f"{api}/content/{{id}}/label", rest.labels)
    add("POST", f"{api}/content/{{id}}/label", rest.add_labels, **user)
    add("DELETE", f"{api}/content/{{id}}/label", rest.remove_label, **user)
    add("DELETE", f"{api}/content/{{id}}/label/{{label}}", rest.remove_label, **user)
    add("GET", f"{api}/search", rest.search)
    add("GET", "/download/attachments/{id}/{name}", rest.download, kind="download")

    if cloud:
        add("GET", f"{api}/settings/systemInfo", rest.system_info, **user)
        v = v2.ROOT
        add("GET", f"{v}/spaces", v2.spaces)
        add("POST", f"{v}/spaces", v2.create_space, **user)
        add("GET", f"{v}/spaces/{{id}}", v2.space)
        add("GET", f"{v}/spaces/{{id}}/pages", v2.space_pages)
        add("GET", f"{v}/pages", v2.pages)
        add("POST", f"{v}/pages", v2.create_page, **user)
        add("GET", f"{v}/pages/{{id}}", v2.get_page)
        add("PUT", f"{v}/pages/{{id}}", v2.update_page, **user)
        add("DELETE", f"{v}/pages/{{id}}", v2.delete_page, **user)
        add("GET", f"{v}/pages/{{id}}/footer-comments", v2.page_comments)
        add("POST", f"{v}/footer-comments", v2.create_comment, **user)
        add("GET", f"{v}/pages/{{id}}/labels", v2.page_labels)  # v2 labels are read-only (products.md §2.2)
        return router

    for version in ("latest", "1.0"):
        pat = {"anonymous": False, "min_version": PAT_VERSION}
        add("POST", f"/rest/pat/{version}/tokens", rest.create_token, **pat)
        add("GET", f"/rest/pat/{version}/tokens", rest.list_tokens, **pat)
        add("DELETE", f"/rest/pat/{version}/tokens/{{id}}", rest.revoke_token, **pat)
    add("POST", f"{api}/admin/user", web.create_user, anonymous=False, admin=True, websudo=True)

    page = {"kind": "web", "anonymous": False}
    add("GET", "/login.action", web.login_form, kind="web", public=True)
    add("POST", "/dologin.action", web.login_submit, kind="web", xsrf=False, public=True)
    add("GET", "/logout.action", web.logout, kind="web", public=True)
    add("GET", "/users/viewmyprofile.action", web.profile, **page)
    add("GET", "/admin/viewgeneralconfig.action", web.general_config, **page, admin=True, websudo=True)
    add("GET", "/authenticate.action", web.websudo_form, **page)
    add("POST", "/doauthenticate.action", web.websudo_submit, **page)
    return router
