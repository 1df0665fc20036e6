"""Local identity providers for tests and development, each run in its own process:
a SAML broker that speaks eHerkenning's artifact binding, and an OpenID Connect provider."""
