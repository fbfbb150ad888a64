//! The shop in other languages, end to end through the real `nebula run` path.
//!
//! A Persian shop (`[shop] language = "fa"`): a shopper whose Discord client is in English (US),
//! as most are (Discord has no Persian), buys, pays and gets access, all in Persian with
//! Persian digits; the admin's review is Persian too. A shopper whose client is in Russian is
//! answered in Russian, and their DMs follow. A shopper who picks English with the Language
//! button gets English from then on, whatever their client says. A language the shop does not
//! ship changes nothing.

use nebula_bot::config::ShopSection;
use nebula_bot::demo::{Stage, order_code, sub_url_in};
use nebula_bot::i18n::Locale;
use nebula_engine::ids::UserId;

/// The text without its bidi isolation marks (FSI, PDI): what a reader sees.
fn plain(s: &str) -> String {
    s.replace(['\u{2068}', '\u{2069}'], "")
}

fn persian_shop() -> ShopSection {
    ShopSection {
        language: "fa".into(),
        ..ShopSection::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persian_shop_sells_in_persian_from_panel_to_access() {
    let stage = Stage::start_with(persian_shop())
        .await
        .expect("the stage starts");
    let c = &stage.cast;

    // The panel everyone sees is in the shop's language, prices in Persian digits.
    let panel = stage.wait_message(c.shop_channel, "دسترسی VPN").await;
    let panel_text = plain(&panel.to_string());
    assert!(panel_text.contains("خرید دسترسی"), "{panel_text}");
    assert!(panel_text.contains("۲۵۰٫۰۰ EGP"), "{panel_text}");

    // Buy access → the picker, then the order: Persian, though the client says en-US.
    let token = stage.discord.click(c.shopper, &stage.buy_button());
    let picker_text = stage.answer(&token).await;
    assert!(
        picker_text.contains("کدام طرح را می‌خواهید؟"),
        "{picker_text}"
    );
    let picker = stage
        .discord
        .find_in_answer(&token, "plan")
        .expect("a plan picker");
    let token = stage.discord.select(c.shopper, &picker, &["month-50gb"]);
    let (channel, said) = stage.order_opened(&token).await;
    assert!(said.contains("سفارش"), "{said}");
    let code = order_code(&said).expect("the order code");
    // The code stays readable in the right-to-left sentence: isolated, not reordered.
    assert!(
        said.contains(&format!("\u{2068}{code}\u{2069}")),
        "{said:?}"
    );

    let opened = plain(&stage.wait_message(channel, "سفارش شما").await.to_string());
    assert!(
        opened.contains("۳۰ روز"),
        "30 days in Persian digits: {opened}"
    );
    assert!(opened.contains("جمع"), "{opened}");

    let chosen = stage.choose_method(c.shopper, channel).await;
    assert!(chosen.contains("راهنمای پرداخت"), "{chosen}");
    stage.wait_message(channel, "تصویر رسید پرداخت").await;
    stage.upload_screenshot(c.shopper, channel, "fa-1");
    stage.wait_message(channel, "در حال بررسی").await;

    // The admin reviews in the shop's language and approves.
    let review = stage.wait_message(c.review_channel, &code).await;
    assert!(review.to_string().contains("پرداخت برای بررسی"), "{review}");
    let token = stage.click_review(c.admin, &review, "approve:");
    let approved = stage.answer(&token).await;
    assert!(approved.contains("تأیید شد"), "{approved}");

    // The access, in the channel and by DM, in Persian; the link itself untouched.
    let access = stage
        .wait_message(channel, "دسترسی شما آماده است")
        .await
        .to_string();
    assert!(access.contains("vless://"), "{access}");
    let dm = stage
        .discord
        .wait_for(
            "the access by DM",
            std::time::Duration::from_secs(20),
            |d| {
                d.dms_to(c.shopper)
                    .into_iter()
                    .find(|m| m.to_string().contains("دسترسی شما آماده است"))
            },
        )
        .await;
    assert!(dm.to_string().contains("vless://"), "{dm}");
    assert_eq!(stage.panel.client_count(), 1);

    // The subscription page in a browser speaks Persian too, right to left, links left to right.
    let url = sub_url_in(&dm).expect("the personal subscription URL");
    let page = reqwest::Client::new()
        .get(format!("{url}?format=html"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"<html lang="fa" dir="rtl">"#), "{page}");
    assert!(plain(&page).contains("اشتراک‌ها"), "{page}");
    assert!(page.contains("direction:ltr"), "links stay left to right");

    // What the shop remembers: the Persian it answered in, as seen (not chosen).
    let seen = stage
        .shop()
        .shopper_locale(UserId(c.shopper))
        .await
        .unwrap()
        .expect("remembered");
    assert_eq!((seen.tag.as_str(), seen.chosen), ("fa", false));
    assert_eq!(stage.discord.problems(), Vec::<String>::new());
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_shopper_is_answered_in_their_language_and_a_choice_sticks() {
    let stage = Stage::start_with(persian_shop())
        .await
        .expect("the stage starts");
    let c = &stage.cast;

    // A Russian client is answered in Russian.
    stage.discord.set_locale(c.other_shopper, "ru");
    let token = stage.discord.click(c.other_shopper, &stage.buy_button());
    let said = stage.answer(&token).await;
    assert!(said.contains("Какой тариф вам подходит?"), "{said}");

    // The Language button: each language in its own name; English chosen sticks, whatever
    // the client sends from now on.
    let language = stage
        .discord
        .find_component(c.shop_channel, "shop:language")
        .expect("the panel has Language");
    let token = stage.discord.click(c.other_shopper, &language);
    let asked = stage.answer(&token).await;
    assert!(asked.contains("На каком языке"), "{asked}");
    let menu = stage
        .discord
        .find_in_answer(&token, "language")
        .expect("a language select");
    let names = menu.message.to_string();
    for l in Locale::ALL {
        assert!(
            names.contains(l.native_name()),
            "{} in {names}",
            l.native_name()
        );
    }
    let token = stage.discord.select(c.other_shopper, &menu, &["en"]);
    let said = stage.answer(&token).await;
    assert!(said.contains("in English"), "{said}");
    let token = stage.discord.click(c.other_shopper, &stage.buy_button());
    let said = stage.answer(&token).await;
    assert!(said.contains("Which plan would you like?"), "{said}");
    let chosen = stage
        .shop()
        .shopper_locale(UserId(c.other_shopper))
        .await
        .unwrap()
        .expect("remembered");
    assert_eq!((chosen.tag.as_str(), chosen.chosen), ("en", true));

    // A language the shop does not ship (a forged select value) is refused; nothing changes.
    let token = stage.discord.select(c.other_shopper, &menu, &["xx"]);
    let said = stage.answer(&token).await;
    assert!(!said.is_empty(), "a polite answer");
    let still = stage
        .shop()
        .shopper_locale(UserId(c.other_shopper))
        .await
        .unwrap()
        .expect("remembered");
    assert_eq!(still.tag, "en");

    assert_eq!(stage.discord.problems(), Vec::<String>::new());
    stage.stop().await;
}

/// The server's preferred locale, as Discord reports it, sets the panel's language; a shopper
/// whose client is in English is still answered in English in an English shop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_panel_follows_the_servers_preferred_locale() {
    let stage = Stage::start().await.expect("the stage starts");
    let c = &stage.cast;
    stage.discord.set_guild_locale("tr");
    let help = stage
        .discord
        .find_component(c.shop_channel, "shop:help")
        .expect("the panel has Help");
    let token = stage.discord.click(c.shopper, &help);
    let said = stage.answer(&token).await;
    assert!(said.contains("How it works"), "{said}");
    let panel = stage.wait_message(c.shop_channel, "Erişim satın al").await;
    assert!(plain(&panel.to_string()).contains("VPN erişimi"), "{panel}");
    assert_eq!(stage.discord.problems(), Vec::<String>::new());
    stage.stop().await;
}
