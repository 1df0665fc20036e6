"""Values the API gives while something has not happened yet must fit the schema it publishes
(schemathesis found an objection's empty follow-up and a notice's empty address refused)."""

import jsonschema
from drf_spectacular.generators import SchemaGenerator


def _property(schema: dict, component: str, name: str) -> dict:
    """The component's property, its references resolved within the schema."""
    components = schema["components"]["schemas"]

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(components[node["$ref"].rsplit("/", 1)[1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(components[component]["properties"][name])


def _accepts(property_schema: dict, value) -> bool:
    if value is None:  # OpenAPI 3.0 says "nullable" where JSON Schema would add "null"
        return bool(property_schema.get("nullable"))
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    try:
        jsonschema.validate(value, property_schema, format_checker=checker)
    except jsonschema.ValidationError:
        return False
    return True


def test_the_empty_values_the_api_gives_fit_its_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    follow_up = _property(schema, "Objection", "follow_up")
    assert _accepts(follow_up, "")
    assert _accepts(follow_up, "reassessment")
    assert not _accepts(follow_up, "anything")

    assert _accepts(_property(schema, "Notice", "publication_url"), "")
    assert _accepts(_property(schema, "Objection", "proposal"), None)
    assert _accepts(_property(schema, "Objection", "decision"), None)
    # An organisation without a tier (a company, a review body) or without a website.
    assert _accepts(_property(schema, "Organisation", "authority_tier"), "")
    assert _accepts(_property(schema, "Organisation", "authority_tier"), "province")
    assert _accepts(_property(schema, "Organisation", "website"), "")
