//! The languages, checked as CI runs them: every `.ftl` parses (with Fluent's own parser),
//! every locale has every key English has and no other, each with the same variables; every
//! key the code asks for exists; no English key is left unused; right-to-left locales isolate
//! what they interpolate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast;
use nebula_bot::i18n::{self, Locale};

/// Message id → the variables it uses.
type Keys = BTreeMap<String, BTreeSet<String>>;

fn variables_in_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            variables_in_expression(expression, out);
        }
    }
}

fn variables_in_expression(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            variables_in_inline(selector, out);
            for v in variants {
                variables_in_pattern(&v.value, out);
            }
        }
        ast::Expression::Inline(inline) => variables_in_inline(inline, out),
    }
}

fn variables_in_inline(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => variables_in_expression(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                variables_in_inline(a, out);
            }
            for a in &arguments.named {
                variables_in_inline(&a.value, out);
            }
        }
        _ => {}
    }
}

fn keys_of(locale: Locale) -> Keys {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(format!("{}.ftl", locale.tag()));
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let resource = match fluent_syntax::parser::parse(source.as_str()) {
        Ok(r) => r,
        Err((_, errors)) => panic!("{locale}.ftl does not parse: {errors:#?}"),
    };
    let mut keys = Keys::new();
    for entry in &resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let mut vars = BTreeSet::new();
                let value = m
                    .value
                    .as_ref()
                    .unwrap_or_else(|| panic!("{locale}: {} has no value", m.id.name));
                variables_in_pattern(value, &mut vars);
                assert!(
                    keys.insert(m.id.name.to_owned(), vars).is_none(),
                    "{locale}: {} is defined twice",
                    m.id.name
                );
            }
            ast::Entry::Junk { content } => panic!("{locale}.ftl has junk: {content}"),
            _ => {}
        }
    }
    keys
}

#[test]
fn every_locale_has_every_key_with_the_same_variables() {
    let english = keys_of(Locale::En);
    let mut problems = Vec::new();
    for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::En) {
        let theirs = keys_of(locale);
        for (key, vars) in &english {
            match theirs.get(key) {
                None => problems.push(format!("{locale}: {key} is missing")),
                Some(v) if v != vars => {
                    problems.push(format!("{locale}: {key} uses {v:?}, English uses {vars:?}"))
                }
                Some(_) => {}
            }
        }
        for key in theirs.keys().filter(|k| !english.contains_key(*k)) {
            problems.push(format!("{locale}: {key} is not an English key"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The keys the code names: every `tr!(locale, "key"` in `bot/src`.
fn keys_in_code() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // Keys named as data (the subscription page's platforms).
                for (at, _) in text.match_indices("\"page-platform-") {
                    if let Some(len) = text[at + 1..].find('"') {
                        out.insert(text[at + 1..at + 1 + len].to_owned());
                    }
                }
                for (at, _) in text.match_indices("tr!(") {
                    let rest = &text[at + 4..];
                    // Past the locale expression, the first string literal is the key.
                    let Some(open) = rest.find('"') else { continue };
                    let Some(len) = rest[open + 1..].find('"') else {
                        continue;
                    };
                    let key = &rest[open + 1..open + 1 + len];
                    if key.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    }) && !key.is_empty()
                    {
                        out.insert(key.to_owned());
                    }
                }
            }
        }
    }
    let mut keys = BTreeSet::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut keys,
    );
    keys
}

#[test]
fn the_code_and_the_english_file_name_the_same_keys() {
    let english = keys_of(Locale::En);
    let used = keys_in_code();
    // The macro's own documentation names a placeholder key.
    let mut used: BTreeSet<_> = used.into_iter().filter(|k| k != "key").collect();
    // The commands' names and descriptions, looked up by their place in the command tree.
    used.extend(nebula_bot::discord::commands::text_keys());
    let missing: Vec<_> = used.iter().filter(|k| !english.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "asked for but not in en.ftl: {missing:?}"
    );
    let unused: Vec<_> = english.keys().filter(|k| !used.contains(*k)).collect();
    assert!(unused.is_empty(), "in en.ftl but never used: {unused:?}");
}

#[test]
fn right_to_left_locales_keep_codes_and_names_readable() {
    for locale in Locale::ALL {
        let text = nebula_bot::tr!(locale, "order-cancelled", code = "NL-7KQ2M");
        assert!(text.contains("NL-7KQ2M"), "{locale}: {text}");
        let isolated = text.contains("\u{2068}NL-7KQ2M\u{2069}");
        assert_eq!(isolated, locale.is_rtl(), "{locale}: {text:?}");
    }
    // A number variable is written with the locale's digits, and plurals follow its rules.
    assert_eq!(
        i18n::text(Locale::En, "devices-count", &[("count", 1u32.into())]),
        "1 device"
    );
    assert_eq!(
        i18n::text(Locale::Ru, "devices-count", &[("count", 5u32.into())]),
        "5 устройств"
    );
    assert!(
        i18n::text(Locale::Fa, "devices-count", &[("count", 3u32.into())]).contains('۳'),
        "Persian digits"
    );
}

/// The English texts of the commands are the commands' own names and descriptions, and every
/// locale Discord knows gets a translation that Discord's rules accept (the fake Discord checks
/// them as it checks the registration: `limits.rs`).
#[test]
fn every_command_is_localized_for_discords_locales() {
    let localized = nebula_bot::discord::commands::localized_definitions();
    fn walk(node: &serde_json::Value, parent: &str, problems: &mut Vec<String>) {
        let name = node["name"].as_str().unwrap_or_default();
        let key = format!("{parent}-{name}");
        if i18n::text(Locale::En, &key, &[]) != name {
            problems.push(format!("{key}: en.ftl does not say {name:?}"));
        }
        let description = node["description"].as_str().unwrap_or_default();
        if i18n::text(Locale::En, &format!("{key}-desc"), &[]) != description {
            problems.push(format!("{key}-desc: en.ftl does not say {description:?}"));
        }
        for locale in Locale::ALL.iter().filter_map(|l| l.discord()) {
            let localized = &node["name_localizations"][locale];
            if !localized.is_string() || localized.as_str() == Some(name) && locale != "en-US" {
                problems.push(format!("{key}: no {locale} name ({localized})"));
            }
            if !node["description_localizations"][locale].is_string() {
                problems.push(format!("{key}: no {locale} description"));
            }
        }
        for child in node["options"].as_array().into_iter().flatten() {
            if matches!(child["type"].as_u64(), Some(1 | 2)) {
                walk(child, &key, problems);
                continue;
            }
            // An option: its English description is the code's, and it has one in every
            // Discord locale the shop speaks.
            let option = format!("{key}-{}-desc", child["name"].as_str().unwrap_or_default());
            let said = child["description"].as_str().unwrap_or_default();
            if i18n::text(Locale::En, &option, &[]) != said {
                problems.push(format!("{option}: en.ftl does not say {said:?}"));
            }
            for locale in Locale::ALL.iter().filter_map(|l| l.discord()) {
                if !child["description_localizations"][locale].is_string() {
                    problems.push(format!("{key} {}: no {locale} description", child["name"]));
                }
            }
        }
    }
    let mut problems = Vec::new();
    for command in &localized {
        walk(command, "cmd", &mut problems);
    }
    // Literal braces survive Fluent: the placeholders admins type in instructions.
    let method = localized.iter().find(|c| c["name"] == "method").unwrap();
    let instructions = &method["options"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "instructions")
        .unwrap()["description_localizations"]["ru"];
    assert!(
        instructions.as_str().unwrap().contains("{amount}"),
        "{instructions}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every kind of alert is worded in every locale, naming what it is about; in English it reads
/// as the engine's own message (the log's); an alert stored before kinds keeps its message.
#[test]
fn alerts_are_worded_in_every_locale() {
    use nebula_bot::discord::render::alert_text;
    use nebula_engine::alert::AlertKind as A;
    use nebula_engine::effect::{Alert, PanelAction};
    use nebula_engine::order::StateKind;
    let kinds = [
        A::ProvisioningFailed {
            code: "NL-7KQ2M".into(),
            attempts: 3,
            error: "panel said no".into(),
        },
        A::PaymentNotAwaited {
            provider: "BTCPay".into(),
            reference: "inv-1".into(),
            paid: "250.00 EGP".into(),
            code: "NL-7KQ2M".into(),
            state: StateKind::Cancelled,
        },
        A::CheckoutFailed {
            provider: "Stripe".into(),
            code: "NL-7KQ2M".into(),
            attempts: 8,
            error: "timeout".into(),
        },
        A::MoveFailed {
            subscription: "NL-7KQ2M".into(),
            client: "sara-1".into(),
            server: "fra-1".into(),
            attempts: 8,
            error: "timeout".into(),
        },
        A::PanelFailed {
            action: PanelAction::ResetTraffic,
            client: "NL-7KQ2M".into(),
            server: "fra-1".into(),
            attempts: 8,
            error: "timeout".into(),
        },
        A::DiscordFailed {
            effect: "deliver access".into(),
            attempts: 8,
            error: "NL-7KQ2M".into(),
        },
        A::Drift {
            server: "NL-7KQ2M".into(),
            count: 12,
            shown: vec!["a client the shop does not know".into()],
        },
        A::MovesStuck {
            server: "NL-7KQ2M".into(),
            count: 4,
            reason: "no other server".into(),
        },
        A::PolicyFailed {
            policy: "pricing".into(),
            hash: "NL-7KQ2M".into(),
            error: "out of fuel".into(),
        },
    ];
    for kind in kinds {
        let alert = Alert::about(kind.clone(), None, false);
        assert_eq!(alert_text(Locale::En, &alert), kind.to_string());
        for locale in Locale::ALL {
            let text = alert_text(locale, &alert).replace(['\u{2068}', '\u{2069}'], "");
            assert!(text.contains("NL-7KQ2M"), "{locale}: {text}");
        }
    }
    let old = Alert {
        message: "an alert from before kinds".into(),
        kind: None,
        order: None,
        retry: false,
    };
    assert_eq!(alert_text(Locale::Fa, &old), "an alert from before kinds");
}
