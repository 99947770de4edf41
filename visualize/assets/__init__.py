"""Bundled browser assets: vis-network 9.1.2 (vendored from pyvis, see LICENSE-vis-network.txt),
d3-hierarchy 3.1.2 (``npm pack d3-hierarchy@3.1.2``, dist/d3-hierarchy.min.js, ISC, see
LICENSE-d3-hierarchy.txt) for the org chart's tree layout, and relmap's own map scripts and
stylesheet."""
