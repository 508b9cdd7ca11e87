"""Pure core: no Django."""
