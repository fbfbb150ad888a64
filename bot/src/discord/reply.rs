//! Answering interactions: always well inside Discord's 3-second limit. Work that is not done
//! within two seconds is deferred, and its answer edits the deferred response.

use std::future::Future;
use std::time::Duration;

use serenity::all::{
    CreateActionRow, CreateAttachment, CreateAutocompleteResponse, CreateEmbed,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateModal,
    EditInteractionResponse, Http, InteractionId,
};
use serenity::builder::Builder;

use super::errors::BotError;
use crate::i18n::Locale;
use crate::tr;

/// An ephemeral answer (links and orders are only shown to their owner).
#[derive(Default)]
pub struct Reply {
    pub content: Option<String>,
    pub embeds: Vec<CreateEmbed>,
    pub components: Vec<CreateActionRow>,
    pub files: Vec<CreateAttachment>,
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Reply {
        Reply {
            content: Some(text.into()),
            ..Reply::default()
        }
    }

    fn message(self) -> CreateInteractionResponseMessage {
        let mut m = CreateInteractionResponseMessage::new()
            .ephemeral(true)
            .embeds(self.embeds)
            .components(self.components)
            .files(self.files);
        if let Some(c) = self.content {
            m = m.content(c);
        }
        m
    }

    fn edit(self) -> EditInteractionResponse {
        let mut e = EditInteractionResponse::new()
            .embeds(self.embeds)
            .components(self.components);
        for f in self.files {
            e = e.new_attachment(f);
        }
        if let Some(c) = self.content {
            e = e.content(c);
        }
        e
    }
}

pub enum Answer {
    Reply(Reply),
    /// An answer now, and a better one when `later` has it (the original response is edited):
    /// the shopper is never kept waiting on something that happens elsewhere.
    Then(Reply, Later),
    Modal(CreateModal),
    Autocomplete(CreateAutocompleteResponse),
}

/// The follow-up of an [`Answer::Then`]: a better answer when it is ready (none: keep what
/// was said).
pub type Later = std::pin::Pin<Box<dyn Future<Output = Option<Update>> + Send>>;

/// A better answer, and perhaps another to come after it.
pub struct Update {
    pub reply: Reply,
    pub next: Option<Later>,
}

impl Update {
    pub fn last(reply: Reply) -> Option<Update> {
        Some(Update { reply, next: None })
    }
}

impl From<Reply> for Answer {
    fn from(r: Reply) -> Self {
        Answer::Reply(r)
    }
}

/// How long work may take before the interaction is deferred.
const DEFER_AFTER: Duration = Duration::from_secs(2);

/// Runs `work` and answers the interaction with its result, deferring first if it is slow.
/// Errors become a polite message; their detail goes to the log.
pub async fn answer(
    http: &Http,
    id: InteractionId,
    token: &str,
    what: &str,
    l: Locale,
    work: impl Future<Output = Result<Answer, BotError>>,
) {
    let respond = |result: Result<Answer, BotError>| match result {
        Ok(a) => a,
        Err(e) => {
            e.log(what);
            Answer::Reply(Reply::text(e.polite(l)))
        }
    };
    tokio::pin!(work);
    let mut later = None;
    let sent = tokio::select! {
        result = &mut work => {
            let response = match respond(result) {
                Answer::Reply(r) => CreateInteractionResponse::Message(r.message()),
                Answer::Then(r, then) => {
                    later = Some(then);
                    CreateInteractionResponse::Message(r.message())
                }
                Answer::Modal(m) => CreateInteractionResponse::Modal(m),
                Answer::Autocomplete(a) => CreateInteractionResponse::Autocomplete(a),
            };
            response.execute(http, (id, token)).await.map(drop)
        }
        () = tokio::time::sleep(DEFER_AFTER) => {
            let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
            if let Err(e) = defer.execute(http, (id, token)).await {
                tracing::warn!(%what, error = %e, "could not defer an interaction");
            }
            match respond(work.await) {
                Answer::Reply(r) => r.edit().execute(http, token).await.map(drop),
                Answer::Then(r, then) => {
                    later = Some(then);
                    r.edit().execute(http, token).await.map(drop)
                }
                // A deferred interaction cannot open a modal any more.
                _ => EditInteractionResponse::new().content(tr!(l, "error-too-slow")).execute(http, token).await.map(drop),
            }
        }
    };
    if let Err(e) = sent {
        tracing::warn!(%what, error = %e, "could not answer an interaction");
        return;
    }
    while let Some(pending) = later.take() {
        let Some(update) = pending.await else { break };
        if let Err(e) = update.reply.edit().execute(http, token).await {
            tracing::warn!(%what, error = %e, "could not update an answer");
            return;
        }
        later = update.next;
    }
}
