//! Background jobs: the engine commands that keep the shop in order while nobody watches.

use tracing::{info, warn};

use crate::error::ShopError;
use crate::shop::Shop;

/// How many due rows a sweep handles at once.
const BATCH: usize = 500;

/// Times out every open order whose deadline has passed, read from the deadline index (a run
/// touches only what is due). Returns how many timed out.
pub async fn time_out_unpaid(shop: &Shop) -> Result<usize, ShopError> {
    let mut done = 0;
    loop {
        let due = shop.overdue_orders(shop.now(), BATCH).await?;
        let batch = due.len();
        for order in due {
            match shop.time_out(order).await {
                Ok(_) => done += 1,
                // Paid or cancelled in the meantime: nothing to do.
                Err(ShopError::Rejected(_)) => {}
                Err(e) => {
                    warn!(%order, error = %e, "could not time out an order");
                    return Err(e);
                }
            }
        }
        if batch < BATCH {
            break;
        }
    }
    if done > 0 {
        info!(count = done, "unpaid orders timed out");
    }
    Ok(done)
}
