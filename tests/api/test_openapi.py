"""A supervisor's tool can rely on /api/openapi.json: it describes exactly the routes there are."""
from __future__ import annotations

import re

from openapi_spec_validator import validate


def _routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def _documented(document) -> set[tuple[str, str]]:
    methods = {"get", "put", "post", "delete", "patch"}
    return {(path, method) for path, item in document["paths"].items() for method in item if method in methods}


def test_the_openapi_document_is_served_without_a_token_and_is_valid_openapi_3_1(anonymous):
    response = anonymous.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_api_route_and_method_is_documented_and_nothing_else(app, anonymous):
    document = anonymous.get("/api/openapi.json").get_json()
    routes = _routes(app)
    assert len(routes) >= 17
    assert _documented(document) == routes


def _public_routes(app) -> set[tuple[str, str]]:
    """The routes whose views need no token (helpline.api.auth.public)."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and getattr(app.view_functions[rule.endpoint], "api_public", False):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_documented_operation_is_protected_by_the_bearer_scheme_and_says_how_it_fails(app, anonymous):
    document = anonymous.get("/api/openapi.json").get_json()
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert document["security"] == [{"bearer": []}]
    public = {(path, method) for path, item in document["paths"].items() for method, operation in item.items()
              if method != "parameters" and operation.get("security") == []}
    # The API's own description (the document and its reference page) and reading the directory of
    # services; nothing else goes without a token.
    assert public == _public_routes(app) == {("/api/openapi.json", "get"), ("/api/docs", "get"),
                                             ("/api/services", "get"), ("/api/services/{service_id}", "get")}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters" or (path, method) in public:
                continue
            assert "401" in operation["responses"], (method, path)
            if method != "get":
                assert {"400", "422"} <= set(operation["responses"]) or method == "delete", (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)


def test_the_document_s_error_responses_have_the_contract_s_shape(anonymous):
    document = anonymous.get("/api/openapi.json").get_json()
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    for response in document["components"]["responses"].values():
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_on_duty_schema_names_the_contract_s_fields(anonymous):
    schemas = anonymous.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert set(schemas["OnDuty"]["required"]) == {"at", "open", "reason", "next_open_at", "staff"}
    assert set(schemas["OnDuty"]["properties"]["staff"]["items"]["required"]) == {"id", "name", "phone", "priority"}
    assert set(schemas["OfficeHours"]["required"]) == {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def test_real_answers_match_the_documented_schemas(supervisor, staffed_line, make_callback, clock):
    from openapi_schema_validator import OAS31Validator

    document = supervisor.get("/api/openapi.json").get_json()
    aino, _ = staffed_line

    def check(response, schema: str) -> None:
        assert response.status_code in (200, 201), response.get_json()
        OAS31Validator({**document, "$ref": f"#/components/schemas/{schema}"}).validate(response.get_json())

    check(supervisor.get("/api/staff"), "StaffList")
    check(supervisor.post("/api/staff", json={"name": "Eeva", "phone": "050 123 4567", "languages": ["fi"]}), "Staff")
    check(supervisor.get("/api/shifts"), "ShiftList")
    check(supervisor.post("/api/shifts", json={"staff_id": aino.id, "starts_at": "2027-01-12T09:00",
                                               "ends_at": "2027-01-12T12:00"}), "Shift")
    check(supervisor.get("/api/office-hours"), "OfficeHours")
    check(supervisor.post("/api/closures", json={"date": "2027-01-13", "reason": "retreat"}), "Closure")
    check(supervisor.get("/api/closures"), "ClosureList")
    check(supervisor.get("/api/on-duty"), "OnDuty")
    check(supervisor.get("/api/on-duty?at=2027-01-13T10:00"), "OnDuty")
    callback = make_callback(assignee_id=aino.id, status="assigned", assigned_at=clock.now())
    check(supervisor.get("/api/callbacks"), "CallbackList")
    check(supervisor.get(f"/api/callbacks/{callback.id}"), "CallbackDetail")
    check(supervisor.post(f"/api/callbacks/{callback.id}/close", json={"outcome": "referred"}), "CallbackDetail")
    check(supervisor.get("/api/callbacks?status=closed"), "CallbackList")
    service = supervisor.post("/api/services", json={"name": "Kriisipuhelin", "code": "kriisi", "phone": "09 2525 0111",
                                                     "hours": "ma-pe 9-15", "topics": ["kriisi"]})
    check(service, "Service")
    check(supervisor.post("/api/services", json={"name": "Ångestlinjen", "code": "ANGEST"}), "Service")
    check(supervisor.get("/api/services"), "ServiceList")
    check(supervisor.patch(f"/api/services/{service.get_json()['id']}", json={"active": False}), "Service")
    check(supervisor.post("/api/services/import", data="code,name\nRUOKA,Ruoka-apu\n",
                          headers={"Content-Type": "text/csv"}), "ServiceImportResult")
    check(supervisor.get("/api/calls"), "CallList")
