"""The GraphQL schema: the committed SDL is the code's, and the limits refuse abusive queries before they run."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from agentry.entrypoints.graphql.schema_builder import build_schema, sdl

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_sdl_is_the_schema_the_code_makes() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == sdl(), "the GraphQL schema changed: run `uv run agentry graphql schema --write schema.graphql`"


def test_agentry_graphql_schema_prints_the_sdl() -> None:
    from click.testing import CliRunner

    from agentry.entrypoints.cli import main

    printed = CliRunner().invoke(main, ["graphql", "schema"])
    assert printed.exit_code == 0 and printed.output == sdl()
    assert "subscription" in printed.output.lower() and "taskEvents(taskId: UUID!)" in printed.output


def test_graphql_requests_count_against_the_apis_rate_limits() -> None:
    from agentry.entrypoints.http.kit.rate_limits import route_class

    assert route_class("GET", "/graphql") == ("reads", False)
    assert route_class("POST", "/graphql") == ("writes", False)
    assert route_class("POST", "/graphqlx") is None


def _errors(query: str, **limits: object) -> list[dict[str, object]]:
    result = build_schema(**limits).execute_sync(query)  # type: ignore[arg-type]
    return [e.formatted for e in result.errors or ()]


def test_a_query_deeper_than_the_limit_is_refused_before_it_runs() -> None:
    deep = "{ tasks { edges { node { project { members { email } } } } } }"  # depth 5 (leaves do not count)
    errors = _errors(deep, max_depth=4)
    assert errors and "exceeds maximum operation depth of 4" in str(errors[0]["message"])
    assert errors[0]["extensions"] == {"code": "query_too_deep"}
    assert not any("depth" in str(e["message"]) for e in _errors(deep, max_depth=5))


def test_a_query_costlier_than_the_limit_is_refused_with_its_cost() -> None:
    # 100 tasks, each with 100 executions and 1000 log lines: far above the limit.
    costly = (
        "{ tasks(first: 100) { nodes { executions(first: 100) { items { number } } "
        "logs(first: 1000) { items { message } } } } }"
    )
    [error] = _errors(costly, max_cost=20_000)
    assert "costs about" in str(error["message"]) and "maximum of 20000" in str(error["message"])
    extensions = error["extensions"]
    assert isinstance(extensions, dict) and extensions["code"] == "query_too_costly" and extensions["cost"] > 20_000
    # The same page without the nested pages is cheap: it fails only for want of a caller, not for its cost.
    cheap = _errors("{ tasks(first: 100) { nodes { id title } } }", max_cost=20_000)
    assert all("costs about" not in str(e["message"]) for e in cheap)


def test_fragments_and_variables_are_counted_too() -> None:
    query = """query($n: Int!) { tasks(first: $n) { ...page } }
               fragment page on TaskConnection { nodes { logs { items { message } } } }"""
    [error] = _errors(query, max_cost=5_000)  # a variable page size counts as the largest page: 100 x 100
    assert "costs about" in str(error["message"])


def test_a_query_with_too_many_aliases_is_refused_with_a_code() -> None:
    aliased = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(51)) + " }"
    [error] = _errors(aliased)
    assert "aliases found" in str(error["message"]) and error["extensions"] == {"code": "too_many_aliases"}


def test_introspection_can_be_switched_off() -> None:
    assert not _errors("{ __schema { types { name } } }", introspection=True)
    errors = _errors("{ __schema { types { name } } }", introspection=False)
    assert errors and "introspection has been disabled" in str(errors[0]["message"])


def test_introspection_is_on_in_the_embedded_profile_and_off_in_production_unless_set() -> None:
    from agentry.entrypoints.config import Settings

    assert Settings().graphql_introspection_enabled
    assert not Settings(profile="production").graphql_introspection_enabled
    assert Settings(profile="production", graphql_introspection=True).graphql_introspection_enabled
    assert not Settings(graphql_introspection=False).graphql_introspection_enabled


def test_the_chat_documents_and_search_pages_are_counted_by_their_page_size() -> None:
    # 100 sessions' projects' members: 100 x (1 + 1 + 50 x 2), above a limit of 5000; 2 sessions are below it.
    sessions = "{ chatSessions(first: %d) { items { project { members { email userId } } } } }"
    [error] = _errors(sessions % 100, max_cost=5_000)
    assert "costs about" in str(error["message"])
    assert all("costs about" not in str(e["message"]) for e in _errors(sessions % 2, max_cost=5_000))
    # history counts its turns; search its `limit`; documents their `first`.
    history = '{ chatSession(id: "%s") { history(first: 100) { items { toolCalls { name result } } } } }'
    assert _errors(history % UUID(int=1), max_cost=100)[0]["extensions"]["code"] == "query_too_costly"  # type: ignore[index]
    search = '{ search(projectId: "%s", q: "x", limit: %d) { documentId title snippet } }'
    assert "costs about" in str(_errors(search % (UUID(int=1), 50), max_cost=100)[0]["message"])
    assert all("costs about" not in str(e["message"]) for e in _errors(search % (UUID(int=1), 5), max_cost=100))
    documents = "{ documents(first: 200) { items { project { members { email } } } } }"
    assert "costs about" in str(_errors(documents, max_cost=5_000)[0]["message"])


def test_entity_pages_and_their_relationships_and_neighbours_are_counted() -> None:
    # 200 entities x (1 + 50 relationships x 2 fields): above 5000; 2 entities are below it.
    page = '{ entities(projectId: "%s", first: %d) { items { id relationships { id type } } } }'
    assert "costs about" in str(_errors(page % (UUID(int=1), 200), max_cost=5_000)[0]["message"])
    assert all("costs about" not in str(e["message"]) for e in _errors(page % (UUID(int=1), 2), max_cost=5_000))
    around = '{ entity(projectId: "%s", id: "%s") { neighbours(depth: 3) { entities { relationships { id } } } } }'
    assert "costs about" in str(_errors(around % (UUID(int=1), UUID(int=2)), max_cost=1_000)[0]["message"])


def test_a_query_that_does_not_parse_is_invalid_query_as_a_400() -> None:
    [error] = _errors("{ tasks {")
    assert "Syntax Error" in str(error["message"])
    assert error["extensions"] == {"code": "invalid_query", "status": 400, "type": "/problems/invalid-query"}


def test_a_field_the_schema_lacks_is_validation_failed_as_a_400() -> None:
    [error] = _errors("{ nosuch }")
    assert "Cannot query field 'nosuch'" in str(error["message"])
    assert error["extensions"] == {"code": "validation_failed", "status": 400, "type": "/problems/validation-failed"}


def test_a_query_over_the_token_limit_is_refused_with_a_code() -> None:
    [error] = _errors("{ " + "me { id } " * 3000 + "}")
    assert error["extensions"] == {"code": "too_many_tokens"}
