# Production image for Innovatieloket: gunicorn serving Django, static files via WhiteNoise.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango/HarfBuzz/fonts: WeasyPrint renders PDFs with them at runtime.
# libmagic1: file-type sniffing of uploads. gettext: compiling translations.
# nodejs/npm: install the NL Design System CSS and htmx that collectstatic picks up.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libffi8 \
        fonts-dejavu-core \
        libmagic1 \
        gettext \
        nodejs \
        npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies before source, so a code change does not reinstall them.
# packages = [] in pyproject.toml: this installs the dependencies only.
COPY pyproject.toml ./
RUN pip install . && rm -rf build *.egg-info

COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# .dockerignore keeps .env, .venv, .git, var/ and a host node_modules out of the image.
COPY . .

# production.py refuses to load without a 50+ character SECRET_KEY; this one exists only
# for this build step and is never used to sign anything.
RUN DJANGO_SETTINGS_MODULE=portal.settings.production \
    SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789abcdef \
    python manage.py collectstatic --noinput

# The code stays root-owned (read-only to the app); only the upload and mail folders are
# writable. Creating them here lets fresh named volumes inherit this ownership.
RUN useradd --create-home --uid 1000 --user-group app \
    && mkdir -p /app/var/media /app/var/private /app/var/mail \
    && chown -R app:app /app/var/media /app/var/private /app/var/mail
USER app

# wsgi.py/manage.py default to the development settings; never fall back to them here.
ENV DJANGO_SETTINGS_MODULE=portal.settings.production

EXPOSE 8000

CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
