"""Settings of the throughput benchmark: production's, with the benchmark's own URLconf.

Only ``ROOT_URLCONF`` differs, so the ``.values()`` baseline views live in the benchmark and
never in the product's URLs. Everything else (DEBUG off, middleware, caches, throttles,
database connections) is ``portal.settings.production`` as the environment sets it.
"""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"

# Production's CompressedManifestStaticFilesStorage, without compressing every file when the
# benchmark collects them (minutes on a busy machine): pages look files up in the same
# manifest, so what a request costs is unchanged.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
