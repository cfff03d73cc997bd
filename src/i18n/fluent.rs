//! The translation catalogs: Fluent files, `locales/<lang>/*.ftl`, compiled in.
//!
//! Message ids are a catalog path joined by `-` (`shop-title`). Two ways in:
//! - [`Catalog::tree`]: every message as the templates read it (`tr.shop.title`),
//!   formatted once at start, variables left as `{name}` for the few templates
//!   that fill them in with `replace`; a plural shows its `other` form there.
//! - [`Catalog::format`]: one message with real arguments, through Fluent (CLDR
//!   plural rules, number formatting); the Tera function `t` calls it.
//!
//! Fluent's isolation marks around variables are off: pages are plain HTML text
//! and the marks would show up in text/plain and CSV output.

use std::borrow::Cow;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

/// One language's messages.
pub struct Catalog {
    bundle: FluentBundle<FluentResource>,
    tree: serde_json::Value,
    /// Every message id with the variables it uses, sorted.
    variables: Vec<(String, Vec<String>)>,
}

impl Catalog {
    /// Parses the `.ftl` sources of language `tag`.
    ///
    /// # Panics
    /// When a source does not parse or defines a message twice: the catalogs are
    /// compiled in, and the unit tests load every one.
    pub fn load(tag: &str, sources: &[&str]) -> Catalog {
        let locale: unic_langid::LanguageIdentifier = tag.parse().expect("a language tag");
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        bundle.set_use_isolating(false);
        let mut variables = Vec::new();
        for source in sources {
            let resource = FluentResource::try_new((*source).to_owned())
                .unwrap_or_else(|(_, e)| panic!("the {tag} catalog does not parse: {e:?}"));
            for entry in resource.entries() {
                if let ast::Entry::Message(message) = entry {
                    let mut names = Vec::new();
                    if let Some(pattern) = &message.value {
                        pattern_variables(pattern, &mut names);
                    }
                    names.sort();
                    names.dedup();
                    variables.push((message.id.name.to_owned(), names));
                }
            }
            bundle
                .add_resource(resource)
                .unwrap_or_else(|e| panic!("the {tag} catalog has a duplicate: {e:?}"));
        }
        variables.sort();
        let mut catalog = Catalog {
            bundle,
            tree: serde_json::Value::Object(Default::default()),
            variables,
        };
        catalog.tree = catalog.build_tree();
        catalog
    }

    fn build_tree(&self) -> serde_json::Value {
        let mut tree = serde_json::Map::new();
        for (id, names) in &self.variables {
            let mut args = FluentArgs::new();
            for name in names {
                args.set(name.as_str(), format!("{{{name}}}"));
            }
            let text = self.format_id(id, Some(&args));
            let mut node = &mut tree;
            let mut parts = id.split('-').peekable();
            while let Some(part) = parts.next() {
                if parts.peek().is_none() {
                    node.insert(part.to_owned(), text.clone().into());
                    break;
                }
                let child = node
                    .entry(part.to_owned())
                    .or_insert_with(|| serde_json::Value::Object(Default::default()));
                match child {
                    serde_json::Value::Object(map) => node = map,
                    _ => panic!("{id}: a message and a section share the name {part}"),
                }
            }
        }
        serde_json::Value::Object(tree)
    }

    fn format_id(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return "??".to_owned();
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        text.into_owned()
    }

    /// Every message as the templates read it: `tr.section.key`.
    pub fn tree(&self) -> &serde_json::Value {
        &self.tree
    }

    /// Message `key` (dotted, `cart.caption`) formatted with `args`; `??` when
    /// there is no such message.
    pub fn format<'a>(
        &self,
        key: &str,
        args: impl IntoIterator<Item = (&'a str, Arg<'a>)>,
    ) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Number(n) => fluent.set(name, FluentValue::from(n)),
                Arg::Text(text) => fluent.set(name, FluentValue::from(text)),
            }
        }
        self.format_id(&key.replace('.', "-"), Some(&fluent))
    }

    /// Every message id with the variables it uses, sorted by id.
    pub fn variables(&self) -> &[(String, Vec<String>)] {
        &self.variables
    }
}

/// A message argument.
#[derive(Clone, Debug)]
pub enum Arg<'a> {
    Number(f64),
    Text(Cow<'a, str>),
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut Vec<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut Vec<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut Vec<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => out.push(id.name.to_owned()),
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}
