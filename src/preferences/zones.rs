//! The time-zone list of the preferences page: the canonical zones (one per
//! place, as the tz database's `zone.tab` lists them; no alias such as
//! `Asia/Calcutta` or `US/Eastern`), grouped by region (named in the page's
//! language), each labelled with its city and its offset from UTC now.

use chrono::{Offset, TimeZone, Utc};
use serde::Serialize;

use crate::i18n::Language;

/// The canonical zones, from the tz database's `zone.tab`.
const ZONES: &str = include_str!("zones.txt");

/// One zone as the list offers it.
#[derive(Clone, Debug, Serialize)]
pub struct ZoneOption {
    /// Its IANA name, the value the form sends.
    pub name: String,
    /// The city (and its area, for `America/Argentina/Salta`) and the offset:
    /// `Madrid (UTC+01:00)`.
    pub label: String,
}

/// The zones of one region.
#[derive(Clone, Debug, Serialize)]
pub struct ZoneGroup {
    /// The region, in the page's language.
    pub region: String,
    pub zones: Vec<ZoneOption>,
}

/// `+01:00`, `-03:30`, or nothing for UTC itself.
fn offset(name: &str) -> String {
    let Ok(tz) = name.parse::<chrono_tz::Tz>() else {
        return String::new();
    };
    let seconds = tz
        .offset_from_utc_datetime(&Utc::now().naive_utc())
        .fix()
        .local_minus_utc();
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `America/Argentina/Buenos_Aires` → `Buenos Aires, Argentina`.
fn city(name: &str) -> String {
    let mut parts = name.split('/').skip(1).map(|p| p.replace('_', " "));
    let first = parts.next().unwrap_or_default();
    match parts.next() {
        Some(city) => format!("{city}, {first}"),
        None => first,
    }
}

/// The list in `lang`, with `current` (the visitor's zone) in it even when it is
/// not a canonical one (an alias saved before, or sent through the API).
pub fn zone_groups(lang: Language, current: &str) -> Vec<ZoneGroup> {
    let mut names: Vec<&str> = ZONES.lines().filter(|l| !l.is_empty()).collect();
    if current != "UTC" && !names.contains(&current) && current.contains('/') {
        names.push(current);
    }
    let mut groups: Vec<ZoneGroup> = vec![ZoneGroup {
        region: lang.text("prefs.regions.utc").to_owned(),
        zones: vec![ZoneOption {
            name: "UTC".to_owned(),
            label: "UTC".to_owned(),
        }],
    }];
    let mut regions: Vec<&str> = names.iter().filter_map(|n| n.split('/').next()).collect();
    regions.sort_unstable();
    regions.dedup();
    for region in regions {
        let key = format!("prefs.regions.{}", region.to_lowercase());
        let mut zones: Vec<ZoneOption> = names
            .iter()
            .filter(|n| n.split('/').next() == Some(region))
            .map(|n| ZoneOption {
                name: (*n).to_owned(),
                label: format!("{} ({})", city(n), offset(n)),
            })
            .collect();
        zones.sort_by(|a, b| a.label.cmp(&b.label));
        let named = lang.text(&key);
        let region = if named == "??" { region } else { named };
        groups.push(ZoneGroup {
            region: region.to_owned(),
            zones,
        });
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_zone_is_a_zone_and_no_alias_is_listed() {
        let groups = zone_groups(Language::En, "UTC");
        let names: Vec<&str> = groups
            .iter()
            .flat_map(|g| g.zones.iter().map(|z| z.name.as_str()))
            .collect();
        assert!(names.len() > 400, "{}", names.len());
        for name in &names {
            assert!(name.parse::<chrono_tz::Tz>().is_ok(), "{name}");
        }
        for alias in [
            "Asia/Calcutta",
            "US/Eastern",
            "Etc/GMT+5",
            "Europe/Kiev",
            "GB",
        ] {
            assert!(!names.contains(&alias), "{alias}");
        }
        assert!(names.contains(&"Asia/Kolkata") && names.contains(&"Europe/Madrid"));
    }

    #[test]
    fn zones_read_as_city_and_offset_grouped_by_region_in_the_language() {
        let es = zone_groups(Language::Es, "UTC");
        let europe = es.iter().find(|g| g.region == "Europa").expect("Europa");
        let madrid = europe
            .zones
            .iter()
            .find(|z| z.name == "Europe/Madrid")
            .unwrap();
        assert!(
            madrid.label == "Madrid (UTC+01:00)" || madrid.label == "Madrid (UTC+02:00)",
            "{}",
            madrid.label
        );
        assert_eq!(
            city("America/Argentina/Buenos_Aires"),
            "Buenos Aires, Argentina"
        );
        let kolkata = zone_groups(Language::En, "UTC")
            .into_iter()
            .flat_map(|g| g.zones)
            .find(|z| z.name == "Asia/Kolkata")
            .unwrap();
        assert_eq!(kolkata.label, "Kolkata (UTC+05:30)");
    }

    #[test]
    fn a_saved_alias_stays_selectable() {
        let groups = zone_groups(Language::En, "Asia/Calcutta");
        assert!(groups
            .iter()
            .flat_map(|g| &g.zones)
            .any(|z| z.name == "Asia/Calcutta"));
    }
}
