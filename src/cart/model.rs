//! The catalogue, quantities, the cart as stored in the session, and prices in
//! the visitor's locale. Pure logic with its tests; routes live beside it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::i18n::Language;

/// Most units of one product in a cart.
pub const MAX_QUANTITY: u32 = 99;

/// A product of the catalogue.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub slug: String,
    pub price_cents: u64,
    pub name: BTreeMap<String, String>,
    pub description: BTreeMap<String, String>,
}

impl Product {
    /// The name in `lang`.
    pub fn name(&self, lang: Language) -> &str {
        self.name
            .get(lang.code())
            .map(String::as_str)
            .unwrap_or(&self.slug)
    }

    /// The description in `lang`.
    pub fn description(&self, lang: Language) -> &str {
        self.description
            .get(lang.code())
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// The catalogue, in file order.
#[derive(Debug, Default)]
pub struct Catalog {
    pub products: Vec<Product>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    product: Vec<Product>,
}

impl Catalog {
    /// Reads and checks the catalogue file: unique slugs, every language present.
    ///
    /// # Errors
    /// A sentence naming the file and the problem; the launch stops on it.
    pub fn load(path: &Path) -> Result<Catalog, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file: CatalogFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for (i, p) in file.product.iter().enumerate() {
            if file.product[..i].iter().any(|q| q.slug == p.slug) {
                return Err(format!(
                    "{}: the slug {:?} appears twice",
                    path.display(),
                    p.slug
                ));
            }
            let valid_slug = !p.slug.is_empty()
                && p.slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !valid_slug {
                return Err(format!(
                    "{}: {:?} is not a slug (a-z, 0-9, -)",
                    path.display(),
                    p.slug
                ));
            }
            for lang in Language::ALL {
                if p.name.get(lang.code()).is_none_or(|n| n.trim().is_empty())
                    || !p.description.contains_key(lang.code())
                {
                    return Err(format!(
                        "{}: {:?} lacks its {} name or description",
                        path.display(),
                        p.slug,
                        lang.code()
                    ));
                }
            }
        }
        Ok(Catalog {
            products: file.product,
        })
    }

    /// The product with this slug.
    pub fn find(&self, slug: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.slug == slug)
    }
}

/// A quantity of one cart line: 1 to 99.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity(u32);

/// A quantity outside 1..=99.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a quantity is a whole number from 1 to 99")]
pub struct QuantityOutOfRange;

impl TryFrom<u64> for Quantity {
    type Error = QuantityOutOfRange;

    fn try_from(n: u64) -> Result<Quantity, QuantityOutOfRange> {
        u32::try_from(n)
            .ok()
            .and_then(Quantity::new)
            .ok_or(QuantityOutOfRange)
    }
}

impl Quantity {
    /// Parses a quantity from form text.
    pub fn parse(text: &str) -> Option<Quantity> {
        text.trim().parse::<u32>().ok().and_then(Quantity::new)
    }

    pub fn new(n: u32) -> Option<Quantity> {
        (1..=MAX_QUANTITY).contains(&n).then_some(Quantity(n))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// One line of a cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product: String,
    pub quantity: u32,
}

/// A cart: lines in the order they were first added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    /// A random key a visitor's cart gets at checkout, so its order is written
    /// once (see `cart::place_order`); none in an account's cart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// A change the cart refused.
#[derive(Debug, PartialEq, Eq)]
pub enum CartError {
    /// The line would hold more than [`MAX_QUANTITY`].
    TooMany,
}

impl Cart {
    fn line(&mut self, product: &str) -> Option<&mut CartLine> {
        self.lines.iter_mut().find(|l| l.product == product)
    }

    /// Adds `quantity` units; quantities add up.
    ///
    /// # Errors
    /// [`CartError::TooMany`] past 99 units; the cart is unchanged then.
    pub fn add(&mut self, product: &str, quantity: Quantity) -> Result<(), CartError> {
        match self.line(product) {
            Some(line) if line.quantity + quantity.get() > MAX_QUANTITY => Err(CartError::TooMany),
            Some(line) => {
                line.quantity += quantity.get();
                Ok(())
            }
            None => {
                self.lines.push(CartLine {
                    product: product.to_owned(),
                    quantity: quantity.get(),
                });
                Ok(())
            }
        }
    }

    /// Sets a line's quantity, adding the line if needed.
    pub fn set(&mut self, product: &str, quantity: Quantity) {
        match self.line(product) {
            Some(line) => line.quantity = quantity.get(),
            None => self.lines.push(CartLine {
                product: product.to_owned(),
                quantity: quantity.get(),
            }),
        }
    }

    /// Removes a line; returns whether it was there.
    pub fn remove(&mut self, product: &str) -> bool {
        let before = self.lines.len();
        self.lines.retain(|l| l.product != product);
        self.lines.len() != before
    }

    /// Merges `other` into this cart: quantities add, capped at 99.
    pub fn merge(&mut self, other: &Cart) {
        for line in &other.lines {
            match self.line(&line.product) {
                Some(mine) => mine.quantity = (mine.quantity + line.quantity).min(MAX_QUANTITY),
                None => self.lines.push(line.clone()),
            }
        }
    }

    /// What this cart holds beyond `base`: per product, the units over `base`'s
    /// (lines with no more units than in `base` are left out).
    pub fn beyond(&self, base: &Cart) -> Cart {
        let lines = self
            .lines
            .iter()
            .filter_map(|line| {
                let had = base
                    .lines
                    .iter()
                    .find(|b| b.product == line.product)
                    .map_or(0, |b| b.quantity);
                (line.quantity > had).then(|| CartLine {
                    product: line.product.clone(),
                    quantity: line.quantity - had,
                })
            })
            .collect();
        Cart { lines, key: None }
    }

    /// How many units the cart holds.
    pub fn count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// The total in cents, priced from `catalog` (lines of unknown products count 0).
    pub fn total_cents(&self, catalog: &Catalog) -> u64 {
        self.lines
            .iter()
            .map(|l| {
                catalog
                    .find(&l.product)
                    .map_or(0, |p| p.price_cents * u64::from(l.quantity))
            })
            .sum()
    }
}

pub use crate::i18n::format_price;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_is_what_was_added_on_top_of_a_base() {
        let line = |product: &str, quantity| CartLine {
            product: product.into(),
            quantity,
        };
        let base = Cart {
            lines: vec![line("silk-tie", 2), line("chinos", 1)],
            key: None,
        };
        let now = Cart {
            lines: vec![line("silk-tie", 3), line("chinos", 1), line("scarf", 1)],
            key: None,
        };
        assert_eq!(
            now.beyond(&base).lines,
            vec![line("silk-tie", 1), line("scarf", 1)]
        );
        assert!(base.beyond(&base).lines.is_empty());
        assert!(Cart::default().beyond(&base).lines.is_empty());
    }

    fn q(n: u32) -> Quantity {
        Quantity::new(n).unwrap()
    }

    #[test]
    fn quantities_are_one_to_ninety_nine() {
        assert!(Quantity::new(0).is_none() && Quantity::new(100).is_none());
        assert_eq!(Quantity::try_from(0), Err(QuantityOutOfRange));
        assert_eq!(Quantity::try_from(100), Err(QuantityOutOfRange));
        assert_eq!(Quantity::try_from(u64::MAX), Err(QuantityOutOfRange));
        assert_eq!(Quantity::try_from(99), Ok(Quantity(99)));
        assert_eq!(Quantity::parse(" 7 ").map(Quantity::get), Some(7));
    }

    #[test]
    fn adding_adds_up_to_the_cap_and_merging_caps() {
        let mut cart = Cart::default();
        cart.add("tie", q(60)).unwrap();
        assert_eq!(cart.add("tie", q(40)), Err(CartError::TooMany));
        cart.add("tie", q(39)).unwrap();
        assert_eq!(cart.count(), 99);
        let mut other = Cart::default();
        other.add("tie", q(5)).unwrap();
        other.add("belt", q(2)).unwrap();
        cart.merge(&other);
        assert_eq!(
            cart.lines,
            vec![
                CartLine {
                    product: "tie".into(),
                    quantity: 99
                },
                CartLine {
                    product: "belt".into(),
                    quantity: 2
                }
            ]
        );
        assert!(cart.remove("tie") && !cart.remove("tie"));
    }

    #[test]
    fn prices_follow_the_locale() {
        assert_eq!(format_price(123_450, Language::En), "€1,234.50");
        assert_eq!(format_price(123_450, Language::Es), "1234,50\u{a0}€");
        assert_eq!(format_price(1_234_505, Language::Es), "12.345,05\u{a0}€");
        assert_eq!(format_price(5, Language::En), "€0.05");
        assert_eq!(
            format_price(123_450, Language::Fr),
            "1\u{202f}234,50\u{a0}€"
        );
        assert_eq!(format_price(99_900, Language::Fr), "999,00\u{a0}€");
    }

    #[test]
    fn the_project_catalogue_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog/products.toml");
        let catalog = Catalog::load(&path).unwrap();
        assert_eq!(catalog.products.len(), 12);
    }
}
