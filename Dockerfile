# The same processes `make run` starts, packaged: gunicorn for the web, a Celery worker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var GUNICORN_BIND=0.0.0.0:8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
COPY advisory/__init__.py advisory/__init__.py
COPY assessments/__init__.py assessments/__init__.py
COPY reports/__init__.py reports/__init__.py
RUN pip install --no-cache-dir '.[s3]'
COPY . .
RUN pip install --no-cache-dir --no-deps . \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
    && useradd --create-home app && mkdir -p /app/var && chown -R app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
