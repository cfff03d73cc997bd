//! Money and decimal numbers in the visitor's language.

use super::Language;

/// A price in the visitor's locale (CLDR): `€1,234.50` in English, `1234,50 €` and
/// `12.345,05 €` in Spanish, `1 234,50 €` in French (a narrow no-break space
/// between thousands, a no-break space before the sign).
pub fn format_price(cents: u64, lang: Language) -> String {
    let (units, rest) = (cents / 100, cents % 100);
    let digits = units.to_string();
    let (group, decimal) = match lang {
        Language::En => (',', '.'),
        Language::Es => ('.', ','),
        Language::Fr => ('\u{202f}', ','),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        // Spanish groups thousands only from five digits on (RAE/CLDR: 1234, 12.345).
        let from_end = digits.len() - i;
        let group_here = i > 0 && from_end % 3 == 0 && (lang != Language::Es || digits.len() > 4);
        if group_here {
            grouped.push(group);
        }
        grouped.push(c);
    }
    match lang {
        Language::En => format!("€{grouped}{decimal}{rest:02}"),
        Language::Es | Language::Fr => format!("{grouped}{decimal}{rest:02}\u{a0}€"),
    }
}

/// `number`, written with `.` as its decimal point (`12.5`, `+0.33`), with the
/// decimal separator of `lang` (`12,5` in Spanish and French).
pub fn decimal(number: &str, lang: Language) -> String {
    match lang {
        Language::En => number.to_owned(),
        Language::Es | Language::Fr => number.replace('.', ","),
    }
}
