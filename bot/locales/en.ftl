# NebulaLinks: every text the shop shows, in English. The other locales have exactly these
# keys with exactly these variables (bot/tests/locales.rs checks it). Keep links and codes out
# of the middle of sentences where you can: the code puts URLs on their own line.

## Units and small words

duration-days = { $days ->
    [one] { $days } day
   *[other] { $days } days
}
devices-any = any number of devices
devices-count = { $count ->
    [one] { $count } device
   *[other] { $count } devices
}
traffic-unlimited = unlimited
traffic-gb = { $amount } GB
traffic-mb = { $amount } MB
used-of = { $used } of { $limit }
used-unlimited = { $used } (unlimited)
region-in = in { $region }

state-awaiting_method = waiting for a payment method
state-awaiting_proof = waiting for proof of payment
state-under_review = under review
state-provisioning = being set up
state-fulfilled = fulfilled
state-declined = declined
state-cancelled = cancelled
state-timed_out = timed out
state-failed = failed

status-active = active
status-suspended = suspended
status-expired = expired
status-deleted = deleted

## The shop panel and the plan picker

panel-title = VPN access
panel-empty = No plans are on sale right now. Check back soon.
panel-intro = Pick a plan with **Buy access**. You pay by one of our methods, upload a screenshot, and get your link as soon as an admin approves it.
plan-line = { $duration } · { $traffic } · { $devices } · **{ $price }**
button-buy = Buy access
button-subscriptions = My subscriptions
button-help = Help
button-language = Language
picker-free-trial = free trial
picker-option-detail = { $duration }, { $traffic }
picker-placeholder = Choose a plan
picker-with-coupon = Prices with coupon **{ $coupon }**:
picker-question = Which plan would you like?
button-coupon = I have a coupon
nothing-on-sale = Nothing is on sale right now. Check back soon.
help-text = **How it works**
    1. **Buy access** and pick a plan (a coupon, if you have one).
    2. A private channel opens: choose how to pay and follow the instructions.
    3. Upload a screenshot of your payment there.
    4. An admin checks it; you get your link and QR code in the channel and by DM.

    { "**" }My subscriptions** shows your links, usage and expiry, and lets you renew: a renewal keeps the same link.

## Languages

language-question = Which language should the shop use with you?
language-placeholder = Choose a language
language-chosen = From now on the shop writes to you in English.

## Forms

coupon-modal-title = Use a coupon
coupon-modal-field = Coupon code
coupon-empty = Please enter a coupon code.
transfer-modal-title = Your USDT (TRC-20) transfer
transfer-modal-field = Transaction id (hash)
decline-modal-title = Decline the payment
decline-modal-field = Reason (the shopper sees it)
form-expired = That form has expired.
button-expired = That button is no longer valid.

## Opening an order

order-opening = Opening your order…
order-open-soon = Your order **{ $code }** is open; your private channel will appear in a moment.
order-open-in = Your order **{ $code }** is open in { $channel }.
order-open-then-pay = Choose how to pay there.
order-open-then-trial = Your access will appear there in a moment.
pick-plan-from-list = Please pick a plan from the list.
pick-plan = Please pick a plan.
plan-gone = That plan is no longer on sale.
order-channel-topic = Order { $code } for { $plan }

## The order channel

field-plan = Plan
field-price = Price
field-shopper = Shopper
field-method = Method
field-flags = Flags
field-screenshot = Screenshot
field-region = Region
field-expires = Expires
field-traffic = Traffic
field-devices = Devices
field-status = Status
field-used = Used
plan-summary = { $plan } ({ $duration }, { $traffic }, { $devices })
price-total = **Total: { $total }**
order-footer = Order { $code }
order-title-new = Your order
order-title-renewal = Your renewal
order-choose-method = Choose how you will pay. You can change your mind until you upload the screenshot.
button-cancel = Cancel
trial-title = Your free trial
trial-description = Nothing to pay: your access is being set up and will appear here in a moment.
method-chosen = The instructions for **{ $method }** are in the channel.
instructions-title = Pay with { $method }
instructions-then-screenshot = Then **upload a screenshot of your payment in this channel** (PNG, JPEG, WebP or GIF).
instructions-then-tron = Then press **I have paid** and paste the transaction id: the shop checks it on the network and sets up your access at once. (You can also upload a screenshot for an admin.)
instructions-then-link = Your payment link follows in a moment; once you have paid there, your access is set up by itself.
button-paid = I have paid
checkout-title = Pay { $amount } with { $method }
checkout-description = Open the payment page below. As soon as the payment is confirmed, your access is set up here by itself: no screenshot needed.
checkout-button = Pay { $amount }
order-cancelled = Order **{ $code }** is cancelled.

## Screenshots

proof-not-yours = Only { $owner } can send the payment screenshot for this order.
proof-not-image = Please upload the screenshot as an image (PNG, JPEG, WebP or GIF).
proof-too-large = That image is too large; the limit is { $mb } MB.
proof-not-now = This order is { $state }; it is not waiting for a screenshot.

## USDT transfers

usdt-not-set-up = USDT payments are not set up in this shop.
transfer-refused = { $why } You can also upload a screenshot of your payment here for an admin.
transfer-paid = Payment received. Your access is being set up now.
transfer-review = Your transfer arrived, but { $why }. An admin will look at it shortly.
transfer-already = That transfer was already counted for this order.
transfer-not-awaiting = This order is no longer waiting for a payment; an admin has been told about your transfer.
transfer-not-a-txid = That is not a TRON transaction id (64 hexadecimal characters).
transfer-not-found = No transaction with that id was found on the TRON network.
transfer-failed = That transaction failed on the network; no money moved.
transfer-not-confirmed = That transaction is not confirmed yet ({ $have } of { $need } confirmations); try again in a minute.
transfer-not-solidified = That transaction is not final yet; try again in a minute.
transfer-not-a-transfer = That transaction is not a token transfer.
transfer-wrong-token = That transfer is not { $symbol } (it moved another token).
transfer-wrong-recipient = That transfer went to another address, not the shop's.
transfer-before-order = That transfer was made before this order was opened.
transfer-wrong-currency = This shop's { $symbol } rate is in { $rate }; the order is in { $order }.
transfer-network-down = The TRON network could not be asked right now; please try again in a minute.

## Payment differences

difference-wrong-currency = paid in { $got }, the order is in { $expected }
difference-underpaid = paid { $got }, less than the { $expected } due
difference-overpaid = paid { $got }, more than the { $expected } due
difference-paid-late = paid after the invoice expired

## Review (admins)

review-title = Payment to review
flag-first-order = 🆕 first order
flag-duplicate-proof = ⚠️ the same screenshot was used for order { $code }
flag-payment = 💳 { $provider } { $reference } paid { $paid }
screenshot-gone = no longer stored
button-approve = Approve
button-decline = Decline
review-approved-by = ✅ Approved by { $admin }
review-declined-by = ❌ Declined by { $admin }
review-paid = ✅ Paid automatically through { $provider }; no review needed.
order-approved = Approved order **{ $code }**; setting up the access.
order-declined = Declined order **{ $code }**; the shopper has been told why.
order-retrying = Trying order **{ $code }** again.
alert-title = ⚠️ Needs attention
button-retry = Retry

## Access

access-title-ready = Your access is ready
access-title-renewed = Your access is renewed
access-import = Import this link into your VLESS app (v2rayNG, Hiddify, Streisand, ...), or scan the QR code. Keep it private.
access-multi = Your plan runs on { $count } servers with one shared allowance. The subscription URL below holds them all; or import one link per server. Keep them private.
links-alternatives = If it does not connect, try another address of the same server:
links-more-in-subscription = (and { $count } more in your subscription URL)
links-more-ask = (and { $count } more: ask an admin)
field-personal-url = Your subscription URL
personal-url-explained = Add it to your app as a subscription: it carries all your access, refreshes by itself and stays the same when you renew.
field-subscription-url = Subscription URL

## Notices in the order channel

notice-under-review-title = Under review
notice-under-review = Thanks! Your payment is under review. You will get your link here as soon as it is approved.
notice-declined-title = Payment declined
notice-declined = Your payment was declined: { $reason }
    If you think this is a mistake, contact an admin.
notice-cancelled-title = Order cancelled
notice-cancelled-by-admin = An admin cancelled this order.
notice-cancelled-by-you = You cancelled this order. Nothing was charged.
notice-timed-out-title = Order timed out
notice-timed-out = This order was not paid in time and has been closed. You can start a new one from the shop.
notice-delayed-title = Almost there
notice-delayed = Your payment is approved, but setting up your access hit a problem. An admin has been alerted and will sort it out.
notice-paid-title = Payment received
notice-paid = Your { $provider } payment is confirmed. Your access is being set up now.
notice-paid-review-title = Payment under review
notice-paid-review = Your { $provider } payment arrived, but { $why }. An admin will look at it and get back to you here.

## Notices by DM

sub-ending-title = Your access ends soon
sub-ending = Your **{ $plan }** access ends { $when }. Renew now to keep the same link.
sub-expired-title = Your access has ended
sub-expired = Your **{ $plan }** access ended { $when }. Renew to switch it back on with the same link.
sub-traffic-out-title = Traffic used up
sub-traffic-out = Your **{ $plan }** access has used all of its { $limit } and is paused. Renew to get a fresh allowance on the same link.
sub-traffic-low-title = Traffic running low
sub-traffic-low = Your **{ $plan }** access has used { $percent }% of its traffic ({ $used } of { $limit }).
sub-device-limit-title = Device limit reached
sub-device-limit = { $device } tried to use your subscription, but your plan allows { $devices } and they are all in use. Remove one you no longer use in **My devices**, then refresh the app.
sub-device-new = A new device
sub-moved-title = Your access moved
sub-moved = One of your **{ $plan }** servers { $from } was taken out of service, so your access now runs on another one { $to }. Apps that use your personal subscription link pick it up at their next refresh; a single link you copied by hand must be copied again from **My subscriptions**.
region-unknown = elsewhere
button-renew = Renew { $plan }
button-devices = My devices

## My subscriptions and devices

subs-none = You have no subscriptions yet. Use **Buy access** to get one.
subs-url-title = Your subscription URL
subs-url = One URL for all your access: add it to your app as a subscription and it refreshes by itself. Keep it private.
button-reset-link = Reset link
reset-confirm = A new subscription URL stops the old one at once: every app and device that uses it must add the new one. Use this if the URL was shared or leaked.
button-reset-confirm = Yes, give me a new URL
reset-link-none = This shop does not give subscription URLs.
reset-link-done = Here is your new subscription URL. The old one no longer works: add this one to your apps.
devices-none = No device has fetched your subscription URL yet (apps that do not say which device they are, are not counted).
devices-allowed = Your plan allows { $devices }. In use:
device-line = { $n }. { $what }, last seen { $when }
device-unnamed = Unnamed device
button-remove-device = Remove { $n }

## Broadcasts

broadcast-title = Announcement
broadcast-footer = You get this because you used this shop. Stop these messages with the button below.
button-stop-broadcasts = Stop these messages
broadcast-preview = This goes to **{ $count }** ({ $segment }), by DM, one at a time. This is how it reads:
button-send-broadcast = Send to { $count }
broadcast-sending = Sending to { $count } shoppers; the progress follows in this channel.
broadcast-opted-out = You won't get announcements from this shop any more. Your orders and access are not affected.
broadcast-progress-going = **Broadcast going out** to { $count } ({ $segment }): { $sent } sent, { $failed } failed, { $skipped } skipped (opted out), { $left } left.
broadcast-progress-done = **Broadcast sent** to { $count } ({ $segment }): { $sent } sent, { $failed } failed, { $skipped } skipped (opted out), { $left } left.
segment-all = every shopper
segment-active = shoppers with active access
segment-expiring = { $days ->
    [one] shoppers whose access ends within a day
   *[other] shoppers whose access ends within { $days } days
}
segment-expired = shoppers whose access has ended
segment-plan = shoppers with active access on plan { $plan }

## Errors

error-internal = Something went wrong on our side; the details are in the log.
error-store = Something went wrong on our side. Please try again in a moment.
error-policy-not-installed = The policy was not installed: { $why }.
error-gateway = The server's gateway did not answer as expected ({ $why }).
gateway-timed-out = timed out
gateway-unreachable = unreachable
error-discord = Discord did not accept that; please try again in a moment.
error-not-admin = Only admins can do that.
error-not-set-up = The shop is not set up yet: an admin needs to run /setup.
error-too-slow = That took too long; please try again.
error-already-approved = This order was already approved by { $admin }.
error-already-declined = This order was already declined by { $admin }.
error-not-found = Nothing called `{ $id }` exists here.
error-exists = `{ $id }` exists already.
error-invalid = That's not right: { $why }.
error-money = That amount doesn't work: { $why }.
error-no-method = No payment method is available for this plan right now. Please contact an admin.
error-policy = The shop can't price this right now; an admin has been told. Nothing was charged.
rejection-not-allowed-now = This order is { $state }; that can't be done now.
rejection-not-your-order = This is not your order.
rejection-system-only = Only the shop itself can do that.
rejection-method-not-offered = That payment method is not offered for this order.
rejection-bad-reason = A reason is required (1 to { $max } characters).
rejection-not-due = The order is not due to time out yet.
rejection-no-server = No server can take this order right now; an admin has been told.
rejection-payment-used = This payment was already used for order { $code }.
rejection-not-a-trial = This plan is not a trial.
trial-already-used = You have already had your free trial (order { $code }).
trial-role-required = This trial is only for members with the { $role } role.
trial-too-young = Your Discord account is { $age } days old; a trial needs an account at least { $min } days old.
trial-not-free = The pricing policy priced this trial at { $total }, and a trial is free: an admin has to fix the policy.
trial-not-renewable = A trial cannot be renewed; choose a plan to keep your access.

## Slash commands (Discord shows them in its own locales: ru, tr, zh-CN, ar; names are lowercase, no spaces)

cmd-setup = setup
cmd-setup-desc = Set the shop's channels and admin role, and post the panel
cmd-plan = plan
cmd-plan-desc = Manage plans
cmd-plan-add = add
cmd-plan-add-desc = Add a plan
cmd-plan-edit = edit
cmd-plan-edit-desc = Change a plan
cmd-plan-disable = disable
cmd-plan-disable-desc = Take a plan off sale
cmd-plan-list = list
cmd-plan-list-desc = Every plan
cmd-method = method
cmd-method-desc = Manage payment methods
cmd-method-add = add
cmd-method-add-desc = Add a payment method
cmd-method-edit = edit
cmd-method-edit-desc = Change a payment method
cmd-method-disable = disable
cmd-method-disable-desc = Stop offering a method
cmd-method-list = list
cmd-method-list-desc = Every payment method
cmd-server = server
cmd-server-desc = Manage VPN servers
cmd-server-add = add
cmd-server-add-desc = Add a server
cmd-server-edit = edit
cmd-server-edit-desc = Change a server
cmd-server-drain = drain
cmd-server-drain-desc = Keep its clients, take no new ones
cmd-server-remove = remove
cmd-server-remove-desc = Remove a server with no clients
cmd-server-list = list
cmd-server-list-desc = Every server and its load
cmd-server-status = status
cmd-server-status-desc = Ask a server's gateway how it is
cmd-order = order
cmd-order-desc = Look after orders
cmd-order-view = view
cmd-order-view-desc = An order and its history
cmd-order-retry = retry
cmd-order-retry-desc = Provision a failed order again
cmd-order-cancel = cancel
cmd-order-cancel-desc = Cancel an unpaid order
cmd-stats = stats
cmd-stats-desc = Revenue, orders, approval rate, review time, load, and a 30-day chart
cmd-export = export
cmd-export-desc = Orders or subscriptions as CSV or JSON, for a date range
cmd-audit = audit
cmd-audit-desc = Who did what, newest first
cmd-policy = policy
cmd-policy-desc = Pricing, payment-method and server-selection policies
cmd-policy-list = list
cmd-policy-list-desc = Stored versions and which are live
cmd-policy-activate = activate
cmd-policy-activate-desc = Make a stored version live
cmd-policy-rollback = rollback
cmd-policy-rollback-desc = Go back to an earlier version
cmd-policy-config = config
cmd-policy-config-desc = Set the live policy's config
cmd-broadcast = broadcast
cmd-broadcast-desc = Message shoppers by DM (a preview first)

## Admin commands' answers

admin-unknown-command = I don't know that command.
admin-required = `{ $name }` is required.
admin-not-negative = `{ $name }` must be 0 or more.
admin-bad-money = { $why }. Write amounts like `250 EGP`.
admin-bad-kind = `{ $kind }` is not a payment kind.
admin-none-yet = none yet
admin-plans-title = Plans
admin-plan-added = Added plan `{ $id }`: { $name } for { $price }.
admin-plan-updated = Updated plan `{ $id }`.
admin-plan-off-sale = Plan `{ $id }` is off sale.
admin-plan-line = `{ $id }` { $name } — { $duration }, { $traffic }, { $price }
admin-plan-trial = (trial)
admin-plan-trial-role = (trial, { $role } only)
admin-plan-off = (off sale)
admin-methods-title = Payment methods
admin-method-added = Added payment method `{ $id }` ({ $label }).
admin-method-updated = Updated payment method `{ $id }`.
admin-method-off = Payment method `{ $id }` is no longer offered.
admin-method-disabled = (off)
admin-unknown-provider = I don't know the provider "{ $provider }".
admin-provider-not-set-up = { $provider } is not set up in this shop's config ({ $section }); see docs/payments.md.
admin-servers-title = Servers
admin-server-added = Added server `{ $id }` in { $region }.
admin-server-updated = Updated server `{ $id }`.
admin-server-draining = Server `{ $id }` is draining: it keeps its clients and takes no new ones.
admin-server-removed = Removed server `{ $id }`.
admin-server-line = `{ $id }` { $name } ({ $region }) — { $status }, capacity { $capacity }, { $url }
admin-server-up = up
admin-server-down = down
admin-server-draining-word = draining
admin-panel-reachable = `{ $id }`: gateway up, panel reachable
admin-panel-unreachable = `{ $id }`: gateway up, panel unreachable
admin-traffic-reset = The traffic of order **{ $code }** starts again from zero on { $servers }; its clients are enabled again.
admin-order-declined-by = declined by { $admin }: { $reason }
admin-order-failed-after = failed after { $attempts ->
    [one] { $attempts } attempt
   *[other] { $attempts } attempts
}: { $error }
admin-field-state = State
admin-field-kind = Kind
admin-kind-new = new
admin-kind-renewal = renewal
admin-field-total = Total
admin-field-pricing = Pricing
admin-field-history = History
admin-policies-title = Policies
admin-attach-wasm = Attach the .wasm file.
admin-not-key-value = `{ $pair }` is not `key = value`.
admin-stats-title = Shop stats
admin-stats-today = Today
admin-stats-all-time = All time
admin-stats-approval = Approval rate
admin-stats-review-time = Median review time
admin-stats-by-state = Orders by state
admin-stats-per-server = Active subscriptions per server
admin-stats-top-plans = Top plans
admin-stats-by-policy = Revenue by pricing policy
admin-stats-by-provider = Revenue by provider
admin-stats-plan-line = { $plan } — { $orders ->
    [one] { $orders } order
   *[other] { $orders } orders
}, { $revenue }
admin-stats-footer = As of { $when } (UTC). Revenue counts fulfilled orders.
admin-not-a-date = `{ $text }` is not a date like 2026-11-24.
admin-out-of-range = `{ $text }` is out of range.
admin-from-after-to = `from` must be on or before `to`.
admin-export-failed = The export failed: { $why }.
admin-exported = { $rows } { $what } from { $from } to { $to } (UTC).
admin-audit-title = Audit log
admin-audit-older = Older entries: `{ $command }` (same filters).
admin-expiring-needs-days = `expiring` needs `days`.
admin-plan-needs-id = `plan` needs the plan's id.
admin-not-a-segment = `{ $segment }` is not a segment: all, active, expiring, expired or plan.
admin-setup-done = The shop is set up and the panel is posted.
admin-setup-no-panel = Saved, but the panel could not be posted: { $why }
admin-setup-unchecked = I could not check whether the admin role can use the admin commands; `nebula doctor` checks it too.
admin-role-cannot-use = Members with { $role } cannot use { $commands } yet: Discord shows these commands to members with Manage Server. In Server Settings → Integrations → this bot, add { $role } to the commands (or to all of them), or give the role Manage Server.
admin-no-plan = There is no plan `{ $id }`.
admin-no-server = There is no server `{ $id }`.
cmd-order-reset-traffic = reset-traffic
cmd-order-reset-traffic-desc = Start the usage of what an order bought over from zero (all its servers)
cmd-policy-upload = upload
cmd-policy-upload-desc = Install a policy (.wasm): checks, test vectors, dry run, then live
cmd-policy-dry-run = dry-run
cmd-policy-dry-run-desc = What a policy would decide on recent real orders, without installing it

## The subscription page (a browser at the subscription URL)

page-used = Used { $used } of { $total }.
page-subscriptions = Subscriptions
page-subscription = { $plan }: { $status }, until { $until } ({ $days ->
    [one] { $days } day left
   *[other] { $days } days left
})
page-status-used-up = traffic used up
page-links = Links
page-qr = QR code
page-apps = Apps
page-apps-intro = Add this page's address as a subscription in one of these:
page-platform-ios = iPhone and iPad
page-support = Support

## Alerts in the review channel (errors quoted from a panel or provider stay as given)

alert-provisioning-failed = Provisioning order { $code } failed after attempt { $attempts }: { $error }
alert-payment-not-awaited = A { $provider } payment ({ $reference }, { $paid }) arrived for order { $code }, which is { $state } and no longer waits for one. Please refund or honour it by hand.
alert-checkout-failed = Could not open a { $provider } checkout for order { $code } after { $attempts } attempts: { $error }. The shopper can still pay another way or send a screenshot.
alert-move-failed = Could not move subscription { $subscription } ({ $client }) to server { $server } after { $attempts } attempts: { $error }. It stays where it is; the health job plans the move again.
alert-panel-disable = disable { $client }
alert-panel-delete = delete { $client }
alert-panel-reset = reset the traffic of { $client }
alert-panel-failed = Could not { $what } on server { $server } after { $attempts } attempts: { $error }. Please check the panel.
alert-discord-failed = Could not { $effect } after { $attempts } attempts: { $error }
alert-drift = Reconciliation found { $count } difference(s) on server { $server } (nothing was changed):
alert-drift-more = …and { $more } more (see the audit log)
alert-server-up = Server { $server } is back up (it was down for { $minutes } min).
alert-server-down = Server { $server } is down since { $since }: { $error }. It is not offered to new orders until it answers again.
alert-moves-stuck = { $count } subscription(s) on server { $server } must move, but cannot: { $reason }. Add a server or free room.
alert-policy-failed = The { $policy } policy ({ $hash }) failed: { $error }. Shoppers cannot buy until it works again: roll back with `/policy rollback`, or fix its config with `/policy config`.

## Slash command options (descriptions; names stay English)

cmd-setup-shop_channel-desc = Where the shop panel lives
cmd-setup-review_channel-desc = Where admins review payments
cmd-setup-order_category-desc = The category for private order channels
cmd-setup-admin_role-desc = Who may approve, decline and manage
cmd-plan-add-id-desc = Like `month-50gb`
cmd-plan-add-name-desc = Shown to shoppers
cmd-plan-add-days-desc = Duration in days
cmd-plan-add-traffic_gb-desc = Traffic allowance in GB (0 = unlimited)
cmd-plan-add-devices-desc = Simultaneous devices (0 = no limit)
cmd-plan-add-price-desc = Like `250 EGP` or `9.99 USD`
cmd-plan-add-sort-desc = Position on the panel (lower first)
cmd-plan-add-servers-desc = On how many servers it gives access (one shared quota; default 1)
cmd-plan-add-regions-desc = Only these regions, comma-separated, one server in each first (`-` = any)
cmd-plan-add-trial-desc = A free trial: price 0, at most 14 days, once per account, no payment step
cmd-plan-add-trial_role-desc = Only members with this role may take the trial
cmd-plan-edit-id-desc = The plan
cmd-plan-edit-name-desc = Shown to shoppers
cmd-plan-edit-days-desc = Duration in days
cmd-plan-edit-traffic_gb-desc = Traffic allowance in GB (0 = unlimited)
cmd-plan-edit-devices-desc = Simultaneous devices (0 = no limit)
cmd-plan-edit-price-desc = Like `250 EGP` or `9.99 USD`
cmd-plan-edit-sort-desc = Position on the panel (lower first)
cmd-plan-edit-servers-desc = On how many servers it gives access (one shared quota; default 1)
cmd-plan-edit-regions-desc = Only these regions, comma-separated, one server in each first (`-` = any)
cmd-plan-edit-trial-desc = A free trial: price 0, at most 14 days, once per account, no payment step
cmd-plan-edit-trial_role-desc = Only members with this role may take the trial
cmd-plan-edit-active-desc = On sale
cmd-plan-disable-id-desc = The plan
cmd-method-add-id-desc = Like `vodafone-cash`
cmd-method-add-label-desc = Shown on the button
cmd-method-add-kind-desc = How shoppers pay
cmd-method-add-instructions-desc = What to do; may use {"{"}amount{"}"} and {"{"}order{"}"}
cmd-method-add-min-desc = Smallest amount, like `50 EGP`
cmd-method-add-max-desc = Largest amount
cmd-method-add-provider-desc = Paid automatically through (manual: screenshots)
cmd-method-edit-id-desc = The method
cmd-method-edit-label-desc = Shown on the button
cmd-method-edit-kind-desc = How shoppers pay
cmd-method-edit-instructions-desc = May use {"{"}amount{"}"} and {"{"}order{"}"}
cmd-method-edit-min-desc = Smallest amount (`none` to remove)
cmd-method-edit-max-desc = Largest amount (`none` to remove)
cmd-method-edit-enabled-desc = Offered
cmd-method-edit-provider-desc = Paid automatically through (manual: screenshots)
cmd-method-disable-id-desc = The method
cmd-server-add-id-desc = Like `fra-1`
cmd-server-add-name-desc = A name admins recognise
cmd-server-add-region-desc = Like `eu`, `us-east`
cmd-server-add-gateway_url-desc = The gateway's base URL
cmd-server-add-key_id-desc = Which signing key the shop uses for it
cmd-server-add-inbound_id-desc = The 3x-ui inbound new clients go to
cmd-server-add-public_host-desc = The host shoppers connect to
cmd-server-add-capacity-desc = How many active subscriptions it takes
cmd-server-add-tags-desc = Comma-separated
cmd-server-edit-id-desc = The server
cmd-server-edit-name-desc = A name admins recognise
cmd-server-edit-region-desc = Like `eu`, `us-east`
cmd-server-edit-gateway_url-desc = The gateway's base URL
cmd-server-edit-key_id-desc = Which signing key the shop uses for it
cmd-server-edit-inbound_id-desc = The 3x-ui inbound new clients go to
cmd-server-edit-public_host-desc = The host shoppers connect to
cmd-server-edit-capacity-desc = How many active subscriptions it takes
cmd-server-edit-tags-desc = Comma-separated
cmd-server-drain-id-desc = The server
cmd-server-remove-id-desc = The server
cmd-server-status-id-desc = The server
cmd-order-view-code-desc = Like NL-7K3F9Q2A
cmd-order-retry-code-desc = Like NL-7K3F9Q2A
cmd-order-cancel-code-desc = Like NL-7K3F9Q2A
cmd-order-reset-traffic-code-desc = Like NL-7K3F9Q2A
cmd-export-what-desc = orders or subscriptions
cmd-export-format-desc = csv (default) or json
cmd-export-from-desc = First day, YYYY-MM-DD (default: 30 days ago)
cmd-export-to-desc = Last day, YYYY-MM-DD (default: today)
cmd-audit-actor-desc = Only what this member did
cmd-audit-order-desc = Only this order (like NL-7K3F9Q2A)
cmd-audit-action-desc = Only actions starting with this (like order.)
cmd-audit-before-desc = Older than this entry number (the next page)
cmd-policy-upload-kind-desc = pricing, payment-methods or server-selection
cmd-policy-upload-file-desc = The .wasm component
cmd-policy-upload-name-desc = A name for it (default: the file name)
cmd-policy-dry-run-kind-desc = pricing, payment-methods or server-selection
cmd-policy-dry-run-file-desc = The .wasm component
cmd-policy-activate-kind-desc = pricing, payment-methods or server-selection
cmd-policy-activate-version-desc = Its sha256
cmd-policy-rollback-kind-desc = pricing, payment-methods or server-selection
cmd-policy-rollback-version-desc = Its sha256
cmd-policy-config-kind-desc = pricing, payment-methods or server-selection
cmd-policy-config-settings-desc = `key = value` pairs separated by `;` (empty to clear)
cmd-broadcast-segment-desc = Who gets it
cmd-broadcast-segment-all = every shopper
cmd-broadcast-segment-active = active access
cmd-broadcast-segment-expiring = access ending within `days`
cmd-broadcast-segment-expired = access ended
cmd-broadcast-segment-plan = active on `plan`
cmd-broadcast-message-desc = What they read
cmd-broadcast-days-desc = For `expiring`: within how many days
cmd-broadcast-plan-desc = For `plan`: the plan's id

## Policies (/policy and nebula policy)

policy-line = { $kind } `{ $hash }` { $name } ({ $bytes } bytes, { $installed })
policy-live = live
policy-installed = **{ $name }** is now the live { $kind } policy (`{ $hash }`). { $vectors } test vectors passed; on the last { $checked } real orders it decides { $changed } differently.
policy-dry-run = Not installed. { $vectors } test vectors passed; on the last { $checked } real orders it would decide { $changed } differently.
policy-activated = **{ $name }** (`{ $hash }`) is now the live { $kind } policy.
policy-configured = The { $kind } policy **{ $name }** now runs with { $count } setting(s).
policy-no-match = No stored { $kind } policy starts with `{ $prefix }`.
policy-ambiguous = `{ $prefix }` matches several versions; give more of the sha256.
