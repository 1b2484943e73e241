"""How canonical units (tables/units.py) convert into one another, for the reconciliation of
products and restatements across units ("2 250 disques de 20 To, soit 45 Po").

unit -> (dimension, decimal factor, binary factor). Storage is reported both ways: a "To" of
1,000 "Go" (SI) or of 1,024 (the binary convention many computing centres still use).
"""

UNIT_SCALES: dict[str, tuple[str, float, float]] = {
    "MB": ("bytes", 1e6, 2.0**20), "GB": ("bytes", 1e9, 2.0**30), "TB": ("bytes", 1e12, 2.0**40),
    "PB": ("bytes", 1e15, 2.0**50),
    "Gflop/s": ("flop/s", 1e9, 1e9), "Tflop/s": ("flop/s", 1e12, 1e12), "Pflop/s": ("flop/s", 1e15, 1e15),
    "Eflop/s": ("flop/s", 1e18, 1e18),
    "kW": ("W", 1e3, 1e3), "MW": ("W", 1e6, 1e6), "GW": ("W", 1e9, 1e9),
    "kWh": ("Wh", 1e3, 1e3), "MWh": ("Wh", 1e6, 1e6), "GWh": ("Wh", 1e9, 1e9), "TWh": ("Wh", 1e12, 1e12),
    "mm": ("m", 1e-3, 1e-3), "cm": ("m", 1e-2, 1e-2), "m": ("m", 1.0, 1.0), "km": ("m", 1e3, 1e3),
    "kg": ("g", 1e3, 1e3), "t": ("g", 1e6, 1e6), "Mt": ("g", 1e12, 1e12),
    "Mbit/s": ("bit/s", 1e6, 1e6), "Gbit/s": ("bit/s", 1e9, 1e9), "Tbit/s": ("bit/s", 1e12, 1e12),
}

# Scale words a restatement in words multiplies by ("40 million billion bytes", "12,5 millions
# de milliards d'opérations").
SCALE_WORDS: dict[str, float] = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "quadrillion": 1e15,
    "mille": 1e3, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billions": 1e12, "trillions": 1e18,
    "thousands": 1e3,
}
# The base unit a noun names, for restatements in words.
BASE_NOUNS: dict[str, str] = {
    "bytes": "bytes", "byte": "bytes", "octets": "bytes", "octet": "bytes",
    "operations": "flop/s", "opérations": "flop/s", "calculations": "flop/s", "calculs": "flop/s", "flops": "flop/s",
    "watts": "W", "watt": "W", "metres": "m", "meters": "m", "mètres": "m",
}
