# The app image for docker-compose.yml. No embedded Redis or SQLite in production: the compose file sets
# SMARTOFFICE_DATABASE_URL and SMARTOFFICE_REDIS_URL.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY smartoffice ./smartoffice
COPY templates ./templates
COPY docs/examples ./docs/examples
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 smartoffice
USER smartoffice
ENV SMARTOFFICE_HOST=0.0.0.0 \
    SMARTOFFICE_PORT=8000 \
    SMARTOFFICE_DATA_DIR=/tmp/smartoffice \
    SMARTOFFICE_TEMPLATES_DIR=/app/templates
EXPOSE 8000
CMD ["smartoffice", "serve"]
