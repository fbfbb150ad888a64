# syntax=docker/dockerfile:1
# Small images of the shop and the gateway, from the repository's root:
#
#   docker build --target shop    -t nebula .
#   docker build --target gateway -t nebula-gateway .
#
# Both run as an unprivileged user on a distroless base (glibc and CA certificates, no shell,
# no package manager). docs/deploy.md has the volumes, the secrets and the compose example.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# The policies ship prebuilt (policies/dist), so no wasm toolchain is needed here.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p nebula-bot -p nebula-gateway \
        --bin nebula --bin nebula-gateway \
 && mkdir -p /out/state \
 && cp target/release/nebula target/release/nebula-gateway /out/

# The shop: the database, its control socket and backups live in the /var/lib/nebula volume.
FROM gcr.io/distroless/cc-debian12:nonroot AS shop
COPY --from=build /out/nebula /usr/local/bin/nebula
COPY --from=build --chown=65532:65532 /out/state /var/lib/nebula
WORKDIR /var/lib/nebula
VOLUME ["/var/lib/nebula"]
USER 65532:65532
# Metrics ([metrics] bind) and the subscription service ([subscription] bind), when configured.
EXPOSE 9464 8480
ENTRYPOINT ["/usr/local/bin/nebula", "--config", "/etc/nebula/nebula.toml"]
CMD ["run"]

# The gateway: stateless; its config (and TLS files) are mounted read-only.
FROM gcr.io/distroless/cc-debian12:nonroot AS gateway
COPY --from=build /out/nebula-gateway /usr/local/bin/nebula-gateway
USER 65532:65532
EXPOSE 7443
ENTRYPOINT ["/usr/local/bin/nebula-gateway"]
CMD ["run", "--config", "/etc/nebula/gateway.toml"]
