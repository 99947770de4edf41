"""Bundled browser assets: vis-network (vendored, see LICENSE-vis-network.txt) and relmap's own
map script and stylesheet."""
