//! Personal subscription URLs: issuing a shopper's token, resetting it, and finding what a
//! token serves.

use redb::ReadableTable;

use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::error::ShopError;
use crate::ids::UserId;
use crate::store::{self, tables::*};
use crate::sub_url::{SubFeed, SubToken};

impl Shop {
    /// The shopper's subscription token, issued on first use (audited).
    pub async fn sub_token(&self, shopper: UserId) -> Result<SubToken, ShopError> {
        self.blocking(move |core| core.sub_token(shopper, false))
            .await
    }

    /// A new token for the shopper; the old one stops working at once (audited).
    pub async fn reset_sub_token(&self, shopper: UserId) -> Result<SubToken, ShopError> {
        self.blocking(move |core| core.sub_token(shopper, true))
            .await
    }

    /// What `token` serves, or `None` if no shopper holds it (malformed, unknown or reset).
    pub async fn sub_feed(&self, token: &str) -> Result<Option<SubFeed>, ShopError> {
        let Some(token) = SubToken::parse(token) else {
            return Ok(None);
        };
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let Some(shopper) = read
                .open_table(SUB_TOKEN_HASHES)?
                .get(token.lookup_key().as_str())?
                .map(|v| UserId(v.value()))
            else {
                return Ok(None);
            };
            let held = stored_token(&read.open_table(SUB_TOKENS)?, shopper)?;
            if !held.is_some_and(|held| {
                nebula_common::same_secret(held.expose().as_bytes(), token.expose().as_bytes())
            }) {
                return Ok(None);
            }
            let subs = read.open_table(SUBSCRIPTIONS)?;
            let mut subscriptions = Vec::new();
            for row in read
                .open_table(SUBS_BY_SHOPPER)?
                .range((shopper.0, 0)..=(shopper.0, u128::MAX))?
                .rev()
            {
                let id = row?.0.value().1;
                if let Some(sub) = store::get(&subs, SUBSCRIPTIONS_NAME, id)? {
                    subscriptions.push(sub);
                }
            }
            Ok(Some(SubFeed {
                shopper,
                subscriptions,
            }))
        })
        .await
    }
}

fn stored_token(
    table: &impl ReadableTable<u64, &'static [u8]>,
    shopper: UserId,
) -> Result<Option<SubToken>, ShopError> {
    let token: Option<String> = store::get(table, SUB_TOKENS_NAME, shopper.0)?;
    Ok(token.as_deref().and_then(SubToken::parse))
}

impl Core {
    fn sub_token(&self, shopper: UserId, reset: bool) -> Result<SubToken, ShopError> {
        let txn = store::begin_command(&self.db)?;
        let token = {
            let mut tokens = txn.open_table(SUB_TOKENS)?;
            let mut hashes = txn.open_table(SUB_TOKEN_HASHES)?;
            let old = stored_token(&tokens, shopper)?;
            match old {
                Some(old) if !reset => return Ok(old),
                Some(old) => {
                    hashes.remove(old.lookup_key().as_str())?;
                }
                None => {}
            }
            let token = SubToken::generate();
            store::put(&mut tokens, shopper.0, &token.expose())?;
            hashes.insert(token.lookup_key().as_str(), shopper.0)?;
            token
        };
        audit::record(
            &txn,
            self.now(),
            Actor::Shopper(shopper),
            if reset {
                "sub_link.reset"
            } else {
                "sub_link.issue"
            },
            format!("shopper:{shopper}"),
            String::new(),
        )?;
        txn.commit()?;
        Ok(token)
    }
}
