//! The unpaid-order sweep (the others live with the shop, in `shop::upkeep`).

use tracing::warn;

use super::JobReport;
use crate::error::ShopError;
use crate::shop::Shop;

/// How many due rows a sweep handles at once.
const BATCH: usize = 500;

/// Times out every open order whose deadline has passed, read from the deadline index (a run
/// touches only what is due).
pub async fn time_out_unpaid(shop: &Shop) -> Result<JobReport, ShopError> {
    let mut report = JobReport::default();
    loop {
        let due = shop.overdue_orders(shop.now(), BATCH).await?;
        let batch = due.len();
        report.rows_read += batch;
        for order in due {
            match shop.time_out(order).await {
                Ok(_) => report.handled += 1,
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
    Ok(report)
}
