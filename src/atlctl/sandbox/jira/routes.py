"""Every Jira endpoint of the sandbox, in one table per deployment, with what each one needs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from atlctl.sandbox.jira.auth import PAT_VERSION
from atlctl.sandbox.jira.call import JiraCall, JiraEndpoint
from atlctl.sandbox.jira.deployment import Deployment
from atlctl.sandbox.jira.resources import admin as administration
from atlctl.sandbox.jira.resources import issues, links, platform, projects, search, sessions, tokens, users, versions, web, work
from atlctl.sandbox.router import Router

Handler = Callable[[JiraCall], Awaitable[Any]]


def build(deployment: Deployment) -> Router[JiraEndpoint]:
    router: Router[JiraEndpoint] = Router()
    cloud = deployment.cloud

    def add(methods: str, path: str, handler: Handler, **needs: Any) -> None:
        for method in methods.split():
            router.add(method, path, JiraEndpoint(method, path, handler, **needs))

    def api(methods: str, path: str, handler: Handler, **needs: Any) -> None:
        for version in deployment.api_versions:
            add(methods, f"/rest/api/{version}{path}", handler, api=version, **needs)

    user = {"anonymous": False}
    # User and group administration: administrators, and on DC a websudo grant for cookie sessions.
    admin = {"anonymous": False, "admin": True, "websudo": not cloud}

    api("GET", "/serverInfo", platform.server_info)
    api("GET", "/field", platform.fields)
    api("GET", "/issuetype", platform.issue_types)
    api("GET", "/status", platform.statuses)
    api("GET", "/status/{ref}", platform.status)
    api("GET", "/statuscategory", platform.status_categories)
    api("GET", "/statuscategory/{ref}", platform.status_category)
    api("GET", "/priority", platform.priorities)
    api("GET", "/priority/{id}", platform.priority)
    api("GET", "/resolution", platform.resolutions)
    api("GET", "/resolution/{id}", platform.resolution)

    api("GET", "/myself", users.myself, **user)
    api("GET", "/user", users.get_user, **user)
    api("POST", "/user", users.create_user, **admin)
    api("DELETE", "/user", users.delete_user, **admin)
    api("POST", "/group", users.create_group, **admin)
    api("DELETE", "/group", users.delete_group, **admin)
    api("POST", "/group/user", users.add_member, **admin)
    api("DELETE", "/group/user", users.remove_member, **admin)
    api("GET", "/group/member", users.members, **user)
    api("GET", "/group", users.get_group, **user)
    api("GET", "/groups/picker", users.group_picker, **user)
    # Cloud: anonymous callers get an empty list (the OpenAPI document); DC wants a user.
    api("GET", "/user/search", users.search_users, **({} if cloud else user))
    api("GET", "/user/assignable/search", users.assignable_users, **user)
    api("GET", "/user/assignable/multiProjectSearch", users.assignable_multi_project, **user)
    api("GET", "/user/viewissue/search", users.view_issue_users, **user)
    api("GET", "/project/{ref}/versions", versions.project_versions)
    api("GET", "/project/{ref}/version", versions.project_versions_page)
    api("POST", "/version", versions.create_version, **user)
    api("GET", "/version/{id}", versions.get_version)
    api("PUT", "/version/{id}", versions.update_version, **user)
    api("DELETE", "/version/{id}", versions.delete_version, **user)
    api("GET", "/project/{ref}/components", versions.project_components)
    api("POST", "/component", versions.create_component, **user)
    api("GET", "/component/{id}", versions.get_component)
    api("PUT", "/component/{id}", versions.update_component, **user)
    api("DELETE", "/component/{id}", versions.delete_component, **user)
    api("GET", "/component/{id}/relatedIssueCounts", versions.component_issue_count)

    api("GET", "/project", projects.list_projects)
    api("POST", "/project", administration.create_project, **user, admin=True)
    api("PUT", "/project/{ref}", administration.update_project, **user, admin=True)
    api("DELETE", "/project/{ref}", administration.delete_project, **user, admin=True)
    api("GET", "/permissionscheme", administration.permission_schemes, **user)
    api("GET", "/permissionscheme/{id}", administration.permission_scheme, **user)
    api("POST", "/permissionscheme", administration.create_permission_scheme, **user, admin=True)
    api("DELETE", "/permissionscheme/{id}", administration.delete_permission_scheme, **user, admin=True)
    api("GET", "/issuesecurityschemes", administration.issue_security_schemes, **user, admin=True)
    api("GET", "/issuesecurityschemes/{id}", administration.issue_security_scheme, **user, admin=True)
    api("GET", "/projectCategory", administration.categories, **user)
    api("POST", "/projectCategory", administration.create_category, **user, admin=True)
    api("GET", "/projectCategory/{id}", administration.get_category, **user)
    api("PUT", "/projectCategory/{id}", administration.update_category, **user, admin=True)
    api("DELETE", "/projectCategory/{id}", administration.delete_category, **user, admin=True)
    api("GET", "/project/{ref}/permissionscheme", administration.project_permission_scheme, **user)
    api("GET", "/project/{ref}/notificationscheme", administration.project_notification_scheme, **user)
    api("GET", "/project/{ref}/issuesecuritylevelscheme", administration.project_security_level_scheme, **user)
    api("GET", "/project/{ref}/role", administration.project_roles, **user)
    api("GET", "/project/{ref}/role/{id}", administration.project_role, **user)
    api("PUT", "/project/{ref}/role/{id}", administration.set_role_actors, **user, admin=True)
    api("POST", "/project/{ref}/role/{id}", administration.add_role_actors, **user, admin=True)
    api("GET", "/mypermissions", administration.my_permissions)
    api("GET", "/application-properties", administration.application_properties, **user, admin=True)
    api("PUT", "/application-properties/{id}", administration.set_application_property, **user, admin=True)
    api("GET", "/project/{ref}", projects.get_project)
    api("GET", "/project/{ref}/statuses", projects.project_statuses)
    api("GET", "/issue/createmeta/{ref}/issuetypes", projects.createmeta_issue_types, **user)
    api("GET", "/issue/createmeta/{ref}/issuetypes/{type}", projects.createmeta_fields, **user)
    # Jira 9.0 removed the old create metadata; Cloud still has it.
    api("GET", "/issue/createmeta", projects.createmeta, **({} if cloud else {"max_version": (9, 0, 0)}))

    api("POST", "/issue", issues.create_issue, **user)
    api("POST", "/issue/bulk", issues.create_issues, **user)
    api("GET", "/issue/{ref}", issues.get_issue)
    api("PUT", "/issue/{ref}", issues.edit_issue, **user)
    api("DELETE", "/issue/{ref}", issues.delete_issue, **user)
    api("GET", "/issue/{ref}/transitions", issues.get_transitions)
    api("POST", "/issue/{ref}/transitions", issues.do_transition, **user)
    api("GET", "/issue/{ref}/comment", issues.list_comments)
    api("POST", "/issue/{ref}/comment", issues.add_comment, **user)
    api("GET", "/issue/{ref}/comment/{id}", issues.get_comment)
    api("PUT", "/issue/{ref}/comment/{id}", issues.edit_comment, **user)
    api("DELETE", "/issue/{ref}/comment/{id}", issues.delete_comment, **user)
    api("POST", "/issue/{ref}/attachments", issues.add_attachments, **user)
    api("GET", "/issue/{ref}/editmeta", issues.editmeta, **user)
    api("PUT", "/issue/{ref}/assignee", issues.assign, **user)
    api("GET", "/issue/{ref}/watchers", work.get_watchers)
    api("POST", "/issue/{ref}/watchers", work.add_watcher, **user)
    api("DELETE", "/issue/{ref}/watchers", work.remove_watcher, **user)
    api("GET", "/issue/{ref}/votes", work.get_votes)
    api("POST", "/issue/{ref}/votes", work.add_vote, **user)
    api("DELETE", "/issue/{ref}/votes", work.remove_vote, **user)
    api("GET", "/issue/{ref}/worklog", work.list_worklogs)
    api("POST", "/issue/{ref}/worklog", work.add_worklog, **user)
    api("GET", "/issue/{ref}/worklog/{id}", work.get_worklog)
    api("PUT", "/issue/{ref}/worklog/{id}", work.update_worklog, **user)
    api("DELETE", "/issue/{ref}/worklog/{id}", work.delete_worklog, **user)
    api("GET", "/issue/{ref}/remotelink", links.remote_links)
    api("POST", "/issue/{ref}/remotelink", links.add_remote_link, **user)
    api("DELETE", "/issue/{ref}/remotelink", links.delete_remote_links, **user)
    api("GET", "/issue/{ref}/remotelink/{id}", links.get_remote_link)
    api("PUT", "/issue/{ref}/remotelink/{id}", links.update_remote_link, **user)
    api("DELETE", "/issue/{ref}/remotelink/{id}", links.delete_remote_link, **user)
    api("POST", "/filter", search.create_filter, **user)
    api("GET", "/filter/favourite", search.favourite_filters, **user)
    api("GET", "/filter/my", search.my_filters, **user)
    api("GET", "/filter/{id}", search.get_filter, **user)
    api("PUT", "/filter/{id}", search.update_filter, **user)
    api("DELETE", "/filter/{id}", search.delete_filter, **user)
    api("GET", "/issueLinkType", links.link_types)
    api("POST", "/issueLinkType", links.create_link_type, **user, admin=True)
    api("GET", "/issueLinkType/{id}", links.get_link_type)
    api("PUT", "/issueLinkType/{id}", links.update_link_type, **user, admin=True)
    api("DELETE", "/issueLinkType/{id}", links.delete_link_type, **user, admin=True)
    api("POST", "/issueLink", links.create_link, **user)
    api("GET", "/issueLink/{id}", links.get_link)
    api("DELETE", "/issueLink/{id}", links.delete_link, **user)
    api("GET", "/attachment/meta", issues.attachment_meta, **user)
    api("GET", "/attachment/{id}", issues.get_attachment)
    api("DELETE", "/attachment/{id}", issues.delete_attachment, **user)

    if cloud:
        api("GET", "/group/bulk", users.bulk_groups, **user)
        api("GET", "/users/search", users.all_users, **user)
        api("GET", "/resolution/search", platform.search_resolutions, **user)
        api("GET", "/project/search", projects.search_projects)
        api("GET", "/filter/search", search.search_filters, **user)
        api("GET", "/project/{ref}/component", versions.project_components_page)
        api("GET POST", "/search/jql", search.search_jql)
        api("POST", "/search/approximate-count", search.approximate_count)
        api("GET POST", "/search", search.search_removed)
        api("GET", "/attachment/content/{id}", issues.attachment_content)
        return router

    api("GET POST", "/search", search.search)
    api("GET", "/user/avatars", users.user_avatars, **user)
    api("POST", "/user/avatar/temporary", users.temporary_avatar, **user)
    api("POST", "/user/avatar", users.confirm_avatar, **user)
    api("PUT", "/user/avatar", users.select_avatar, **user)
    api("DELETE", "/user/avatar/{id}", users.delete_avatar, **user)
    # Cloud has no such project resources (its priority and workflow schemes are listed elsewhere).
    api("GET", "/project/{ref}/priorityscheme", administration.project_priority_scheme, **user)
    api("GET", "/project/{ref}/workflowscheme", administration.project_workflow_scheme, **user)
    add("GET", "/rest/applinks/1.0/manifest", platform.applinks_manifest)
    add("GET", "/rest/project-templates/latest/templates", administration.project_templates, anonymous=False, admin=True)
    add("GET", "/rest/project-templates/1.0/templates", administration.project_templates, anonymous=False, admin=True)

    for version in ("1", "latest"):
        session = f"/rest/auth/{version}/session"
        add("GET", session, sessions.current, kind="auth", anonymous=False)
        add("POST", session, sessions.login, kind="auth")
        add("DELETE", session, sessions.logout, kind="auth", anonymous=False)
        add("DELETE", f"/rest/auth/{version}/websudo", sessions.drop_websudo, kind="auth", anonymous=False)

    for version in ("latest", "1.0"):
        pat = {"anonymous": False, "min_version": PAT_VERSION}
        add("POST", f"/rest/pat/{version}/tokens", tokens.create, **pat)
        add("GET", f"/rest/pat/{version}/tokens", tokens.list_tokens, **pat)
        add("DELETE", f"/rest/pat/{version}/tokens/{{id}}", tokens.revoke, **pat)

    page = {"kind": "web", "anonymous": False}
    add("GET", "/", web.root, kind="web")
    add("GET", "/login.jsp", web.login_form, kind="web")
    add("POST", "/login.jsp", web.login_submit, kind="web", xsrf=False)
    add("GET", "/secure/Logout!default.jspa", web.logout, kind="web")
    add("GET", "/secure/Dashboard.jspa", web.dashboard, **page)
    add("GET", "/secure/ViewProfile.jspa", web.profile, **page)
    add("GET", "/secure/admin/ViewApplicationProperties.jspa", web.application_properties, **page, admin=True, websudo=True)
    add("GET", "/secure/admin/WebSudoAuthenticate!default.jspa", web.websudo_form, **page)
    add("POST", "/secure/admin/WebSudoAuthenticate.jspa", web.websudo_submit, **page)
    add("GET", "/secure/attachment/{id}/{filename}", issues.attachment_content, kind="download", anonymous=False)
    return router
