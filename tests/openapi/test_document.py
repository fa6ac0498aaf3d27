"""The OpenAPI document at /api/openapi.json: generated from the code, every /api/ route in it, as the routes are."""

from __future__ import annotations

from loket.core.roles import Role
from loket.http import MAX_ID, MAX_SITE_ID


def test_the_document_is_served_as_openapi_3(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    doc = r.get_json()
    assert doc["openapi"].startswith("3.")
    assert {"session", "csrf", "scanner"} <= set(doc["components"]["securitySchemes"])


def test_every_api_route_is_described_beside_it_and_in_the_document(app, client):
    doc = client.get("/api/openapi.json").get_json()
    operations = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "openapi"), f"{rule.rule} has no @api(...) beside it"
        path = (
            rule.rule.replace("<int:", "<")
            .replace("<site_id:", "<")
            .replace("<path:", "<")
            .replace("<", "{")
            .replace(">", "}")
        )
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if "{action}" in path:
                assert (method, path.replace("{action}", "advance")) in operations
            else:
                assert (method, path) in operations, (method, path)


def test_ids_in_paths_are_bounded_integers_and_every_refusal_is_the_one_error(client):
    doc = client.get("/api/openapi.json").get_json()
    ids = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for p in op.get("parameters", []):
                if p["in"] == "path" and p["name"].endswith("_id"):
                    ids += 1
                    # A ticket's, counter's or disruption's id is 64-bit, in its site's range (issue 16).
                    bound = MAX_SITE_ID if p["name"] in ("ticket_id", "counter_id", "disruption_id") else MAX_ID
                    assert p["schema"]["type"] == "integer" and p["schema"]["maximum"] == bound, (path, p)
            for status, answer in op["responses"].items():
                if int(status) >= 400:
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
    assert ids >= 15
    error = doc["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "message", "label"] and "problems" in error["properties"]


def test_staff_routes_say_who_may_call_them(client):
    doc = client.get("/api/openapi.json").get_json()
    settings = doc["paths"]["/api/admin/settings"]
    assert settings["put"]["security"] == [{"session": [], "csrf": []}]
    assert settings["get"]["security"] == [{"session": []}]
    assert settings["put"]["x-roles"] == [Role.ADMIN.value]
    assert {"401", "403"} <= set(settings["put"]["responses"])
    assert doc["paths"]["/api/scanner/scan"]["post"]["security"] == [{"scanner": []}]
    assert "security" not in doc["paths"]["/api/tickets"]["post"]  # public


def test_request_bodies_are_the_models_the_routes_check_them_with(client):
    doc = client.get("/api/openapi.json").get_json()
    schemas = doc["components"]["schemas"]

    def body(path, method="post"):
        ref = doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return schemas[ref.rsplit("/", 1)[1]]

    assert set(body("/api/tickets")["properties"]) >= {"service", "priority", "kiosk"}
    transfer = body("/api/staff/tickets/{ticket_id}/transfer")["properties"]["counter_id"]
    assert {"type": "integer", "minimum": 1, "maximum": MAX_SITE_ID} in transfer["anyOf"]
    assert body("/api/staff/tickets/{ticket_id}/return")["properties"]["missing"]["type"] == "array"
    assert set(body("/api/admin/counters")["properties"]) >= {"name", "number", "roles", "services"}
    assert "hours" in body("/api/admin/settings", "put")["properties"]
