FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph graph
COPY api api
COPY importers importers
COPY visualize visualize
COPY cli cli
RUN pip install --no-cache-dir .
RUN useradd --create-home relmap
USER relmap
EXPOSE 8000
CMD ["relmap", "serve"]
