"""Currencies and units of measure, language-neutral.

Sources: ISO 4217 codes and the currency symbols in Unicode's Sc category (the subset met in
press releases); SI and IEC units and computing units as written in reports.
"""

# Symbol or word -> ISO 4217 code.
CURRENCY_SYMBOLS: dict[str, str] = {
    "€": "EUR", "$": "USD", "US$": "USD", "USD$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR",
    "CHF": "CHF", "A$": "AUD", "C$": "CAD", "CA$": "CAD", "AU$": "AUD", "R$": "BRL", "₩": "KRW",
    "₽": "RUB", "₺": "TRY", "¢": "USD", "$US": "USD", "HK$": "HKD", "S$": "SGD", "NZ$": "NZD", "RM": "MYR",
}
CURRENCY_CODES: tuple[str, ...] = (
    "EUR", "USD", "GBP", "JPY", "CHF", "CAD", "AUD", "CNY", "INR", "BRL", "CLP", "MXN", "SEK",
    "NOK", "DKK", "PLN", "KRW", "SGD", "HKD", "ZAR", "NZD", "TZS", "KES", "NGN", "MYR",
)
CURRENCY_WORDS: dict[str, str] = {
    "euro": "EUR", "euros": "EUR", "d'euros": "EUR", "d’euros": "EUR", "dollar": "USD",
    "dollars": "USD", "de dollars": "USD", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "livres": "GBP", "yen": "JPY", "francs suisses": "CHF", "pesos": "CLP",
}

# Measure units as written -> canonical unit. Matched case-sensitively, longest first.
MEASURE_UNITS: dict[str, str] = {
    "Eflop/s": "Eflop/s", "Pflop/s": "Pflop/s", "Tflop/s": "Tflop/s", "Gflop/s": "Gflop/s",
    "pétaflops": "Pflop/s", "petaflops": "Pflop/s", "PFlops": "Pflop/s", "TFlops": "Tflop/s",
    "exaflops": "Eflop/s",
    "GW": "GW", "MW": "MW", "kW": "kW", "TWh": "TWh", "GWh": "GWh", "MWh": "MWh", "kWh": "kWh",
    "km²": "km2", "km2": "km2", "km": "km", "m²": "m2", "m2": "m2", "m³": "m3", "cm": "cm", "mm": "mm",
    "ha": "ha", "hectares": "ha", "kg": "kg", "tonnes": "t", "tons": "t", "t": "t", "Mt": "Mt",
    "MtCO2": "MtCO2", "tCO2": "tCO2", "tCO2e": "tCO2e", "°C": "°C", "°F": "°F", "L": "L",
    "litres": "L", "liters": "L", "kilometres": "km", "kilometers": "km", "kilomètres": "km",
    "miles": "mi", "metres": "m", "meters": "m", "mètres": "m",
    "PB": "PB", "TB": "TB", "GB": "GB", "MB": "MB", "Po": "PB", "To": "TB", "Go": "GB",
    "pétaoctets": "PB", "petabytes": "PB", "téraoctets": "TB", "terabytes": "TB",
    "gigaoctets": "GB", "gigabytes": "GB", "Gbit/s": "Gbit/s", "Gb/s": "Gbit/s", "Mbit/s": "Mbit/s",
    "Tbit/s": "Tbit/s", "GHz": "GHz", "MHz": "MHz", "qubits": "qubit",
    "yards": "yd", "yard": "yd", "yds": "yd", "nm": "nm", "nanometres": "nm", "nanometre": "nm", "nanometers": "nm",
    "nanometer": "nm", "nanomètres": "nm", "nanomètre": "nm",
}

# Ordinal suffixes after digits, per language.
ORDINAL_SUFFIXES_EN: tuple[str, ...] = ("st", "nd", "rd", "th")
ORDINAL_SUFFIXES_FR: tuple[str, ...] = ("er", "ère", "re", "e", "ème", "eme", "nd", "nde", "ᵉ", "ᵉʳ")
