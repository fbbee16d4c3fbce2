# The two commands of the README.
#   make run    install what is missing, build, create demo-data/, serve on :8080
#   make check  install what is missing, build, run every test
#   make deb        the Debian package himoya_VERSION_amd64.deb (tools/build-deb.sh)
#   make deb-check  build it, install, upgrade, remove and purge it in a Debian 12
#                   chroot (tools/deb-check.sh; needs root)
#   make check-ha   failover on this machine: etcd, two PostgreSQL under
#                   Patroni, two servers; the leader killed under a write
#                   load (tools/check-ha.sh; needs root, takes minutes)
.PHONY: all deps build run check bench clean deb deb-check check-ha

all: build

deps:
	@sh tools/deps.sh

build: deps
	@test -f build/build.ninja || meson setup build
	@meson compile -C build

run: build
	@test -d demo-data || ./build/himoya demo --data demo-data --persons 200 --seed 1
	@echo
	@echo "Himoya is serving on http://127.0.0.1:8080"
	@echo "Sign in as 'caseworker' (or admin, supervisor, hotline, analyst, trainer,"
	@echo "ngo.worker, police.focal) with the password: himoya-demo-2026"
	@echo "Stop with Ctrl-C."
	@./build/himoya serve --data demo-data --listen 127.0.0.1:8080

check: deps
	@sh tools/check.sh

bench: deps
	@rc=0; for b in run cases referrals contacts public reports; do bash bench/$$b.sh || rc=1; done; exit $$rc

deb:
	@sh tools/deps.sh --deb
	@sh tools/build-deb.sh

deb-check:
	@sh tools/deps.sh --deb
	@sh tools/deb-check.sh

check-ha:
	@sh tools/deps.sh --ha
	@sh tools/check-ha.sh

clean:
	rm -rf build build-asan build-fuzz build-release build*.setup.log build-fuzz.results himoya_*.deb
