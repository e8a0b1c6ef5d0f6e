# Multi-stage build of mcp-analytics. Build: docker build -t mcp-analytics .
FROM swift:6.1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpg-query-dev libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product mcp-analytics --static-swift-stdlib \
    && mkdir -p /out \
    && cp .build/release/mcp-analytics /out/ \
    && cp -R .build/release/*.resources /out/ 2>/dev/null || true

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 libpg-query1504.0 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/mcp-analytics --create-home mcpa
COPY --from=build /out/ /usr/local/bin/
USER mcpa
WORKDIR /var/lib/mcp-analytics
ENV MCPA_HOST=0.0.0.0 MCPA_PORT=8080 MCPA_DATA_DIR=/var/lib/mcp-analytics/data MCPA_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["/usr/local/bin/mcp-analytics"]
CMD ["serve"]
