"""Output formats. Each module renders a ScanReport to text; none of them decides anything."""
