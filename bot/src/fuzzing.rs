//! Fuzz entry points of the shop's own parsers (`fuzz/`): what Discord hands back as a
//! component's `custom_id`, and the operator's config files. The public listener's target is
//! [`crate::subscription::fuzzing::shop_listener`].

use crate::discord::ids::Action;

/// A `custom_id` as an interaction carries it. Whatever parses is an action whose own id
/// parses back to it, and fits Discord's 100 characters when what came in did.
pub fn custom_id(data: &[u8]) {
    let Ok(id) = std::str::from_utf8(data) else {
        return;
    };
    let Some(action) = Action::parse(id) else {
        return;
    };
    let again = action.id();
    assert_eq!(
        Action::parse(&again).as_ref(),
        Some(&action),
        "{id:?} parsed to {action:?}, whose id {again:?} does not parse back"
    );
    if id.chars().count() <= 100 {
        assert!(
            again.chars().count() <= 100,
            "{id:?} fits a custom_id but its action's id {again:?} does not"
        );
    }
}

/// A config file, the shop's or a gateway's (the first byte says which): it parses and resolves
/// to a config or to an error that says what is wrong, and never panics. Files it names are not
/// read (a fuzzed path such as `/dev/zero` would hang the run); environment variables are.
pub fn config(data: &[u8]) {
    nebula_gateway::secret::FILES_OFF.store(true, std::sync::atomic::Ordering::Relaxed);
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if which & 1 == 0 {
        let Ok(config) = toml::from_str::<crate::config::Config>(text) else {
            return;
        };
        if let Ok(resolved) = config.resolve() {
            assert!(
                !resolved.token.is_empty(),
                "a config resolved with no token"
            );
        }
        let _ = config.payments_config();
        let _ = config.gateway_access();
    } else {
        let Ok(config) = toml::from_str::<nebula_gateway::server::config::GatewayConfig>(text)
        else {
            return;
        };
        if let Ok(resolved) = config.resolve() {
            assert!(
                resolved
                    .auth
                    .keys
                    .values()
                    .all(|s| s.len() >= nebula_gateway::signing::MIN_SECRET_BYTES),
                "a gateway resolved with a short key"
            );
        }
    }
}
