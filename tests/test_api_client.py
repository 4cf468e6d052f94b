"""A client written only from the OpenAPI document: it searches, reads a film, rates it and reviews it.

The client knows nothing of Marquee but the document's URL: it finds operations by operationId
or by method and path, builds requests from the parameter and body schemas (checking what it
sends against them), and checks every answer's status and body against the document.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from jsonschema import Draft202012Validator

from marquee.services import accounts
from support.api import TestClient, catalogue, fresh_app

__all__ = ["fresh_app"]


class OpenApiClient:
    """Calls operations described by an OpenAPI 3.1 document, checking both ways against it."""

    def __init__(self, http: Any, document_url: str, token: str | None = None) -> None:
        self.http = http
        response = http.get(document_url)
        assert response.status_code == 200
        self.doc: dict[str, Any] = response.json()
        self.token = token

    def _validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        # "#/components/…" references resolve against the document's components.
        return Draft202012Validator({**schema, "components": self.doc.get("components", {})})

    def find(self, operation_id: str | None = None, *, method: str = "", path: str = "") -> tuple[str, str]:
        """The (method, path) of an operation, by id or by method and path."""
        for each_path, item in self.doc["paths"].items():
            for each_method, op in item.items():
                if operation_id is not None and op.get("operationId") == operation_id:
                    return each_method, each_path
                if operation_id is None and (each_method, each_path) == (method, path):
                    return each_method, each_path
        raise LookupError(operation_id or f"{method} {path}")

    def has(self, method: str, path: str) -> bool:
        return method in self.doc["paths"].get(path, {})

    def call(self, method: str, path: str, *, body: Any = None, **params: Any) -> tuple[int, Any]:
        """Send the request the document describes; return the status and the checked body."""
        op = self.doc["paths"][path][method]
        url, query = path, {}
        for param in op.get("parameters", []):
            name = param["name"]
            if name not in params:
                assert not param.get("required"), f"{name} is required by {method} {path}"
                continue
            value = params.pop(name)
            errors = list(self._validator(param["schema"]).iter_errors(value))
            assert not errors, f"{name}={value!r} breaks its schema: {errors[0].message}"
            if param["in"] == "path":
                url = url.replace("{" + name + "}", quote(str(value), safe=""))
            else:
                query[name] = value
        assert not params, f"not parameters of {method} {path}: {sorted(params)}"
        headers = {}
        for requirement in op.get("security", []):
            for scheme in requirement:
                # Only the schemes the document declares; this client knows HTTP bearer tokens.
                declared = self.doc["components"]["securitySchemes"][scheme]
                if declared == {**declared, "type": "http", "scheme": "bearer"} and self.token:
                    headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            schema = op["requestBody"]["content"]["application/json"]["schema"]
            errors = list(self._validator(schema).iter_errors(body))
            assert not errors, f"body breaks its schema: {errors[0].message}"
        response = self.http.request(method.upper(), url, params=query, json=body, headers=headers)
        documented = op["responses"]
        status = str(response.status_code)
        assert status in documented, f"{method} {path} answered {status}, not documented: {response.text}"
        content = documented[status].get("content")
        if not content:
            return response.status_code, None
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type in content, f"{media_type} is not documented for {status}"
        data = response.json()
        errors = list(self._validator(content[media_type].get("schema", {})).iter_errors(data))
        assert not errors, f"answer breaks its schema: {errors[0].message}"
        return response.status_code, data


@pytest.fixture
def member_token(fresh_app: FastAPI) -> str:
    """An API token of a member, made as the site makes them."""
    store = fresh_app.state.marquee.store
    accounts.create_user(store, "ada", "correct horse battery")
    return accounts.create_token(store, "ada", label="client test")


def test_a_client_from_the_document_alone_searches_reads_rates_and_reviews(
    fresh_app: FastAPI, member_token: str
) -> None:
    with TestClient(fresh_app) as http:
        api = OpenApiClient(http, "/api/v1/openapi.json", token=member_token)

        status, found = api.call(*api.find("searchTitles"), q="mask")
        assert status == 200
        film_id = found["results"][0]["id"]
        assert film_id == "tt0089560"

        status, film = api.call(*api.find("getTitle"), id=film_id)
        assert status == 200
        assert film["title"] == "Mask"
        assert film["cast"] == [member.model_dump(mode="json") for member in catalogue()[0].cast]

        status, partial = api.call(*api.find("getTitle"), id=film_id, fields="title,year")
        assert partial == {"id": film_id, "title": "Mask", "year": 1985}

        rate = ("put", "/api/v1/titles/{id}/rating")
        review = ("post", "/api/v1/titles/{id}/reviews")
        assert api.has(*rate) and api.has(*review), "the community's writes are in the document"

        status, _ = api.call(*api.find(method=rate[0], path=rate[1]), id=film_id, body={"score": 8})
        assert 200 <= status < 300
        status, ratings = api.call(*api.find("getTitleRatings"), id=film_id)
        assert ratings["member"]["votes"] == 1
        assert ratings["member"]["average"] == 8
        assert ratings["imdb"]["votes"] == 52000

        words = {"title": "Still moving", "body": "Cher is *wonderful* in this.", "score": 9}
        status, _ = api.call(*api.find(method=review[0], path=review[1]), id=film_id, body=words)
        assert 200 <= status < 300
        status, reviews = api.call("get", "/api/v1/titles/{id}/reviews", id=film_id)
        assert status == 200
        assert "Still moving" in str(reviews)

        status, problem = api.call(*api.find("getTitle"), id="tt0000000")
        assert status == 404
        assert problem["status"] == 404
