# NebulaLinks: فارسی. همان کلیدها و متغیرهای en.ftl (bot/tests/locales.rs بررسی می‌کند).
# متن راست‌به‌چپ است؛ جای‌گذاری‌ها (کد سفارش، نام‌ها) جدا (FSI…PDI) می‌شوند تا خوانا بمانند.

## واحدها و واژه‌های کوتاه

duration-days = { $days } روز
devices-any = هر تعداد دستگاه
devices-count = { $count } دستگاه
traffic-unlimited = نامحدود
traffic-gb = { $amount } گیگابایت
traffic-mb = { $amount } مگابایت
used-of = { $used } از { $limit }
used-unlimited = { $used } (نامحدود)
region-in = در منطقهٔ { $region }

state-awaiting_method = در انتظار انتخاب روش پرداخت
state-awaiting_proof = در انتظار رسید پرداخت
state-under_review = در حال بررسی
state-provisioning = در حال آماده‌سازی
state-fulfilled = انجام‌شده
state-declined = ردشده
state-cancelled = لغوشده
state-timed_out = منقضی‌شده
state-failed = ناموفق

status-active = فعال
status-suspended = متوقف
status-expired = منقضی
status-deleted = حذف‌شده

## ویترین و انتخاب طرح

panel-title = دسترسی VPN
panel-empty = فعلاً هیچ طرحی برای فروش نیست. بعداً سر بزنید.
panel-intro = با دکمهٔ **خرید دسترسی** یک طرح انتخاب کنید. با یکی از روش‌های ما پرداخت کنید، تصویر رسید را بفرستید و به محض تأیید مدیر، لینک خود را بگیرید.
plan-line = { $duration } · { $traffic } · { $devices } · **{ $price }**
button-buy = خرید دسترسی
button-subscriptions = اشتراک‌های من
button-help = راهنما
button-language = زبان
picker-free-trial = آزمایشی رایگان
picker-option-detail = { $duration }، { $traffic }
picker-placeholder = یک طرح انتخاب کنید
picker-with-coupon = قیمت‌ها با کد تخفیف **{ $coupon }**:
picker-question = کدام طرح را می‌خواهید؟
button-coupon = کد تخفیف دارم
nothing-on-sale = فعلاً چیزی برای فروش نیست. بعداً سر بزنید.
help-text = **روش کار**
    ۱. **خرید دسترسی** را بزنید و یک طرح انتخاب کنید (و اگر کد تخفیف دارید، آن را).
    ۲. یک کانال خصوصی باز می‌شود: روش پرداخت را انتخاب کنید و راهنما را دنبال کنید.
    ۳. تصویر رسید پرداخت را همان‌جا بفرستید.
    ۴. مدیر آن را بررسی می‌کند؛ لینک و کد QR در کانال و در پیام خصوصی به دستتان می‌رسد.

    در **اشتراک‌های من** لینک‌ها، مصرف و تاریخ پایان را می‌بینید و می‌توانید تمدید کنید: با تمدید، لینک همان می‌ماند.

## زبان‌ها

language-question = فروشگاه با شما به چه زبانی صحبت کند؟
language-placeholder = یک زبان انتخاب کنید
language-chosen = از این پس فروشگاه با شما فارسی صحبت می‌کند.

## فرم‌ها

coupon-modal-title = استفاده از کد تخفیف
coupon-modal-field = کد تخفیف
coupon-empty = لطفاً کد تخفیف را وارد کنید.
transfer-modal-title = انتقال USDT (TRC-20) شما
transfer-modal-field = شناسهٔ تراکنش (هش)
decline-modal-title = رد پرداخت
decline-modal-field = دلیل (خریدار آن را می‌بیند)
form-expired = این فرم منقضی شده است.
button-expired = این دکمه دیگر معتبر نیست.

## باز کردن سفارش

order-opening = در حال باز کردن سفارش شما…
order-open-soon = سفارش **{ $code }** باز شد؛ کانال خصوصی شما تا لحظه‌ای دیگر ظاهر می‌شود.
order-open-in = سفارش **{ $code }** در { $channel } باز است.
order-open-then-pay = روش پرداخت را آنجا انتخاب کنید.
order-open-then-trial = دسترسی شما تا لحظه‌ای دیگر آنجا ظاهر می‌شود.
pick-plan-from-list = لطفاً یک طرح را از فهرست انتخاب کنید.
pick-plan = لطفاً یک طرح انتخاب کنید.
plan-gone = این طرح دیگر فروخته نمی‌شود.
order-channel-topic = سفارش { $code } برای { $plan }

## کانال سفارش

field-plan = طرح
field-price = قیمت
field-shopper = خریدار
field-method = روش پرداخت
field-flags = نشانه‌ها
field-screenshot = تصویر رسید
field-region = منطقه
field-expires = تاریخ پایان
field-traffic = ترافیک
field-devices = دستگاه‌ها
field-status = وضعیت
field-used = مصرف‌شده
plan-summary = { $plan } ({ $duration }، { $traffic }، { $devices })
price-total = **جمع: { $total }**
order-footer = سفارش { $code }
order-title-new = سفارش شما
order-title-renewal = تمدید شما
order-choose-method = روش پرداخت را انتخاب کنید. تا پیش از فرستادن تصویر رسید می‌توانید نظرتان را عوض کنید.
button-cancel = لغو
trial-title = دورهٔ آزمایشی رایگان شما
trial-description = پرداختی لازم نیست: دسترسی شما در حال آماده‌سازی است و تا لحظه‌ای دیگر همین‌جا ظاهر می‌شود.
method-chosen = راهنمای پرداخت با **{ $method }** در کانال است.
instructions-title = پرداخت با { $method }
instructions-then-screenshot = سپس **تصویر رسید پرداخت را در همین کانال بفرستید** (PNG، JPEG، WebP یا GIF).
instructions-then-tron = سپس **پرداخت کردم** را بزنید و شناسهٔ تراکنش را بچسبانید: فروشگاه آن را در شبکه بررسی می‌کند و بی‌درنگ دسترسی شما را آماده می‌کند. (می‌توانید تصویر رسید را هم برای مدیر بفرستید.)
instructions-then-link = لینک پرداخت تا لحظه‌ای دیگر می‌رسد؛ پس از پرداخت، دسترسی شما خودکار آماده می‌شود.
button-paid = پرداخت کردم
checkout-title = پرداخت { $amount } با { $method }
checkout-description = صفحهٔ پرداخت زیر را باز کنید. به محض تأیید پرداخت، دسترسی شما همین‌جا خودکار آماده می‌شود: تصویر رسید لازم نیست.
checkout-button = پرداخت { $amount }
order-cancelled = سفارش **{ $code }** لغو شد.

## تصویر رسید

proof-not-yours = فقط { $owner } می‌تواند تصویر رسید این سفارش را بفرستد.
proof-not-image = لطفاً تصویر رسید را به‌صورت عکس بفرستید (PNG، JPEG، WebP یا GIF).
proof-too-large = این تصویر خیلی بزرگ است؛ حداکثر { $mb } مگابایت.
proof-not-now = این سفارش { $state } است و منتظر تصویر رسید نیست.

## انتقال USDT

usdt-not-set-up = پرداخت با USDT در این فروشگاه راه‌اندازی نشده است.
transfer-refused = { $why } می‌توانید تصویر رسید پرداخت را هم برای مدیر همین‌جا بفرستید.
transfer-paid = پرداخت دریافت شد. دسترسی شما در حال آماده‌سازی است.
transfer-review = انتقال شما رسید، اما { $why }. مدیر به‌زودی آن را بررسی می‌کند.
transfer-already = این انتقال قبلاً برای این سفارش حساب شده است.
transfer-not-awaiting = این سفارش دیگر منتظر پرداخت نیست؛ انتقال شما به مدیر اطلاع داده شد.
transfer-not-a-txid = این شناسهٔ تراکنش TRON نیست (۶۴ نویسهٔ هگزادسیمال).
transfer-not-found = تراکنشی با این شناسه در شبکهٔ TRON پیدا نشد.
transfer-failed = این تراکنش در شبکه ناموفق بود؛ پولی جابه‌جا نشد.
transfer-not-confirmed = این تراکنش هنوز تأیید نشده است ({ $have } از { $need } تأیید)؛ یک دقیقهٔ دیگر دوباره امتحان کنید.
transfer-not-solidified = این تراکنش هنوز قطعی نشده است؛ یک دقیقهٔ دیگر دوباره امتحان کنید.
transfer-not-a-transfer = این تراکنش انتقال توکن نیست.
transfer-wrong-token = این انتقال { $symbol } نیست (توکن دیگری منتقل شده است).
transfer-wrong-recipient = این انتقال به نشانی دیگری رفته است، نه نشانی فروشگاه.
transfer-before-order = این انتقال پیش از باز شدن این سفارش انجام شده است.
transfer-wrong-currency = نرخ { $symbol } این فروشگاه به { $rate } است؛ سفارش به { $order } است.
transfer-network-down = اکنون نمی‌توان از شبکهٔ TRON پرسید؛ یک دقیقهٔ دیگر دوباره امتحان کنید.

## مغایرت‌های پرداخت

difference-wrong-currency = پرداخت به { $got } است، سفارش به { $expected }
difference-underpaid = { $got } پرداخت شده، کمتر از { $expected } بدهی
difference-overpaid = { $got } پرداخت شده، بیشتر از { $expected } بدهی
difference-paid-late = پس از انقضای صورت‌حساب پرداخت شده

## بررسی (مدیران)

review-title = پرداخت برای بررسی
flag-first-order = 🆕 نخستین سفارش
flag-duplicate-proof = ⚠️ همین تصویر رسید برای سفارش { $code } هم استفاده شده است
flag-payment = 💳 { $provider } { $reference }: پرداخت { $paid }
screenshot-gone = دیگر نگه‌داری نمی‌شود
button-approve = تأیید
button-decline = رد
review-approved-by = ✅ تأیید شد توسط { $admin }
review-declined-by = ❌ رد شد توسط { $admin }
review-paid = ✅ خودکار از طریق { $provider } پرداخت شد؛ بررسی لازم نیست.
order-approved = سفارش **{ $code }** تأیید شد؛ دسترسی در حال آماده‌سازی است.
order-declined = سفارش **{ $code }** رد شد؛ دلیل آن به خریدار گفته شد.
order-retrying = تلاش دوباره برای سفارش **{ $code }**.
alert-title = ⚠️ نیاز به رسیدگی
button-retry = تلاش دوباره

## دسترسی

access-title-ready = دسترسی شما آماده است
access-title-renewed = دسترسی شما تمدید شد
access-import = این لینک را در برنامهٔ VLESS خود (v2rayNG، Hiddify، Streisand و…) وارد کنید یا کد QR را اسکن کنید. آن را به کسی ندهید.
access-multi = طرح شما روی { $count } سرور با یک سهمیهٔ مشترک کار می‌کند. لینک اشتراک زیر همهٔ آن‌ها را دارد؛ یا برای هر سرور یک لینک وارد کنید. آن‌ها را به کسی ندهید.
links-alternatives = اگر وصل نشد، نشانی دیگری از همین سرور را امتحان کنید:
links-more-in-subscription = (و { $count } مورد دیگر در لینک اشتراک شما)
links-more-ask = (و { $count } مورد دیگر: از مدیر بپرسید)
field-personal-url = لینک اشتراک شما
personal-url-explained = آن را به‌عنوان اشتراک به برنامهٔ خود اضافه کنید: همهٔ دسترسی شما را دارد، خودش به‌روز می‌شود و با تمدید تغییر نمی‌کند.
field-subscription-url = لینک اشتراک

## اطلاعیه‌ها در کانال سفارش

notice-under-review-title = در حال بررسی
notice-under-review = سپاس! پرداخت شما در حال بررسی است. به محض تأیید، لینک شما همین‌جا می‌رسد.
notice-declined-title = پرداخت رد شد
notice-declined = پرداخت شما رد شد: { $reason }
    اگر فکر می‌کنید اشتباهی رخ داده، با مدیر تماس بگیرید.
notice-cancelled-title = سفارش لغو شد
notice-cancelled-by-admin = یک مدیر این سفارش را لغو کرد.
notice-cancelled-by-you = شما این سفارش را لغو کردید. مبلغی برداشت نشد.
notice-timed-out-title = مهلت سفارش تمام شد
notice-timed-out = این سفارش به‌موقع پرداخت نشد و بسته شد. می‌توانید از فروشگاه سفارش تازه‌ای بدهید.
notice-delayed-title = تقریباً تمام است
notice-delayed = پرداخت شما تأیید شد، اما آماده‌سازی دسترسی به مشکل خورد. به مدیر خبر داده شده و آن را درست می‌کند.
notice-paid-title = پرداخت دریافت شد
notice-paid = پرداخت شما با { $provider } تأیید شد. دسترسی شما در حال آماده‌سازی است.
notice-paid-review-title = پرداخت در حال بررسی
notice-paid-review = پرداخت شما با { $provider } رسید، اما { $why }. مدیر آن را بررسی می‌کند و همین‌جا پاسخ می‌دهد.

## اطلاعیه‌ها در پیام خصوصی

sub-ending-title = دسترسی شما به‌زودی تمام می‌شود
sub-ending = دسترسی **{ $plan }** شما در { $when } تمام می‌شود. همین حالا تمدید کنید تا همان لینک بماند.
sub-expired-title = دسترسی شما تمام شد
sub-expired = دسترسی **{ $plan }** شما در { $when } تمام شد. با تمدید، همان لینک دوباره روشن می‌شود.
sub-traffic-out-title = ترافیک تمام شد
sub-traffic-out = دسترسی **{ $plan }** شما همهٔ { $limit } خود را مصرف کرده و متوقف است. با تمدید، سهمیهٔ تازه روی همان لینک می‌گیرید.
sub-traffic-low-title = ترافیک رو به پایان است
sub-traffic-low = دسترسی **{ $plan }** شما { $percent }٪ ترافیک خود را مصرف کرده است ({ $used } از { $limit }).
sub-device-limit-title = سقف دستگاه‌ها پر شد
sub-device-limit = { $device } خواست از اشتراک شما استفاده کند، اما طرح شما { $devices } را مجاز می‌داند و همه در حال استفاده‌اند. یکی را که دیگر به کار نمی‌برید در **دستگاه‌های من** حذف کنید و برنامه را تازه کنید.
sub-device-new = یک دستگاه تازه
sub-moved-title = دسترسی شما جابه‌جا شد
sub-moved = یکی از سرورهای **{ $plan }** شما ({ $from }) از سرویس خارج شد، پس دسترسی شما اکنون روی سرور دیگری ({ $to }) است. برنامه‌هایی که از لینک اشتراک شخصی شما استفاده می‌کنند در به‌روزرسانی بعدی آن را می‌گیرند؛ لینکی را که دستی کپی کرده‌اید باید دوباره از **اشتراک‌های من** کپی کنید.
region-unknown = جای دیگر
button-renew = تمدید { $plan }
button-devices = دستگاه‌های من

## اشتراک‌ها و دستگاه‌های من

subs-none = هنوز اشتراکی ندارید. برای گرفتن یکی، **خرید دسترسی** را بزنید.
subs-url-title = لینک اشتراک شما
subs-url = یک لینک برای همهٔ دسترسی شما: آن را به‌عنوان اشتراک به برنامه اضافه کنید تا خودش به‌روز شود. آن را به کسی ندهید.
button-reset-link = لینک تازه
reset-confirm = لینک اشتراک تازه، لینک قبلی را بی‌درنگ از کار می‌اندازد: هر برنامه و دستگاهی که از آن استفاده می‌کند باید لینک تازه را اضافه کند. اگر لینک به دست دیگران افتاده، از این استفاده کنید.
button-reset-confirm = بله، لینک تازه بدهید
reset-link-none = این فروشگاه لینک اشتراک نمی‌دهد.
reset-link-done = این لینک اشتراک تازهٔ شماست. لینک قبلی دیگر کار نمی‌کند: این یکی را به برنامه‌هایتان اضافه کنید.
devices-none = هنوز هیچ دستگاهی لینک اشتراک شما را نگرفته است (برنامه‌هایی که نمی‌گویند چه دستگاهی هستند، شمرده نمی‌شوند).
devices-allowed = طرح شما { $devices } را مجاز می‌داند. در حال استفاده:
device-line = { $n }. { $what }، آخرین بار { $when }
device-unnamed = دستگاه بی‌نام
button-remove-device = حذف { $n }

## پیام‌های همگانی

broadcast-title = اطلاعیه
broadcast-footer = این پیام را می‌گیرید چون از این فروشگاه خرید کرده‌اید. با دکمهٔ زیر می‌توانید این پیام‌ها را قطع کنید.
button-stop-broadcasts = این پیام‌ها را نفرست
broadcast-preview = این پیام به **{ $count }** نفر ({ $segment }) با پیام خصوصی، یکی‌یکی فرستاده می‌شود. این‌طور دیده می‌شود:
button-send-broadcast = ارسال به { $count }
broadcast-sending = در حال ارسال به { $count } خریدار؛ پیشرفت آن در همین کانال می‌آید.
broadcast-opted-out = دیگر اطلاعیه‌های این فروشگاه را نمی‌گیرید. سفارش‌ها و دسترسی شما تغییری نمی‌کند.
broadcast-progress-going = **پیام همگانی در حال ارسال** به { $count } ({ $segment }): { $sent } فرستاده، { $failed } ناموفق، { $skipped } رد شده (انصراف داده‌اند)، { $left } مانده.
broadcast-progress-done = **پیام همگانی فرستاده شد** به { $count } ({ $segment }): { $sent } فرستاده، { $failed } ناموفق، { $skipped } رد شده (انصراف داده‌اند)، { $left } مانده.
segment-all = همهٔ خریداران
segment-active = خریداران با دسترسی فعال
segment-expiring = خریدارانی که دسترسی‌شان تا { $days } روز دیگر تمام می‌شود
segment-expired = خریدارانی که دسترسی‌شان تمام شده
segment-plan = خریداران با دسترسی فعال روی طرح { $plan }

## خطاها

error-internal = مشکلی در سمت ما پیش آمد؛ جزئیات در گزارش است.
error-store = مشکلی در سمت ما پیش آمد. لطفاً کمی بعد دوباره امتحان کنید.
error-policy-not-installed = سیاست نصب نشد: { $why }.
error-gateway = درگاه سرور پاسخ مورد انتظار را نداد ({ $why }).
gateway-timed-out = پاسخ به‌موقع نرسید
gateway-unreachable = در دسترس نیست
error-discord = دیسکورد این را نپذیرفت؛ لطفاً کمی بعد دوباره امتحان کنید.
error-not-admin = فقط مدیران می‌توانند این کار را بکنند.
error-not-set-up = فروشگاه هنوز راه‌اندازی نشده است: یک مدیر باید /setup را اجرا کند.
error-too-slow = این کار بیش از حد طول کشید؛ لطفاً دوباره امتحان کنید.
error-already-approved = این سفارش پیش‌تر توسط { $admin } تأیید شده است.
error-already-declined = این سفارش پیش‌تر توسط { $admin } رد شده است.
error-not-found = چیزی به نام `{ $id }` اینجا نیست.
error-exists = `{ $id }` از پیش وجود دارد.
error-invalid = این درست نیست: { $why }.
error-money = این مبلغ درست نیست: { $why }.
error-no-method = اکنون هیچ روش پرداختی برای این طرح در دسترس نیست. لطفاً با مدیر تماس بگیرید.
error-policy = فروشگاه اکنون نمی‌تواند قیمت این را حساب کند؛ به مدیر خبر داده شد. مبلغی برداشت نشد.
rejection-not-allowed-now = این سفارش { $state } است؛ اکنون این کار شدنی نیست.
rejection-not-your-order = این سفارش شما نیست.
rejection-system-only = فقط خود فروشگاه می‌تواند این کار را بکند.
rejection-method-not-offered = این روش پرداخت برای این سفارش ارائه نمی‌شود.
rejection-bad-reason = دلیل لازم است (۱ تا { $max } نویسه).
rejection-not-due = هنوز زمان انقضای این سفارش نرسیده است.
rejection-no-server = اکنون هیچ سروری نمی‌تواند این سفارش را بپذیرد؛ به مدیر خبر داده شد.
rejection-payment-used = این پرداخت پیش‌تر برای سفارش { $code } استفاده شده است.
rejection-not-a-trial = طرح این سفارش آزمایشی نیست.
trial-already-used = شما پیش‌تر از دورهٔ آزمایشی رایگان استفاده کرده‌اید (سفارش { $code }).
trial-role-required = این دورهٔ آزمایشی فقط برای اعضای دارای نقش { $role } است.
trial-too-young = حساب دیسکورد شما { $age } روز عمر دارد؛ برای دورهٔ آزمایشی حسابی با دست‌کم { $min } روز عمر لازم است.
trial-not-free = سیاست قیمت‌گذاری این دورهٔ آزمایشی را { $total } قیمت گذاشت، در حالی که آزمایشی رایگان است: مدیر باید سیاست را درست کند.
trial-not-renewable = دورهٔ آزمایشی تمدید نمی‌شود؛ برای نگه داشتن دسترسی یک طرح انتخاب کنید.

## فرمان‌های اسلش (نام‌ها بدون فاصله؛ دیسکورد هنوز فارسی ندارد)

cmd-setup = پیکربندی
cmd-setup-desc = کانال‌های فروشگاه و نقش مدیران را تنظیم کن و ویترین را بفرست
cmd-plan = طرح
cmd-plan-desc = مدیریت طرح‌ها
cmd-plan-add = افزودن
cmd-plan-add-desc = افزودن طرح
cmd-plan-edit = ویرایش
cmd-plan-edit-desc = ویرایش طرح
cmd-plan-disable = توقف
cmd-plan-disable-desc = برداشتن طرح از فروش
cmd-plan-list = فهرست
cmd-plan-list-desc = همهٔ طرح‌ها
cmd-method = روش-پرداخت
cmd-method-desc = مدیریت روش‌های پرداخت
cmd-method-add = افزودن
cmd-method-add-desc = افزودن روش پرداخت
cmd-method-edit = ویرایش
cmd-method-edit-desc = ویرایش روش پرداخت
cmd-method-disable = توقف
cmd-method-disable-desc = دیگر این روش را ارائه نکن
cmd-method-list = فهرست
cmd-method-list-desc = همهٔ روش‌های پرداخت
cmd-server = سرور
cmd-server-desc = مدیریت سرورهای VPN
cmd-server-add = افزودن
cmd-server-add-desc = افزودن سرور
cmd-server-edit = ویرایش
cmd-server-edit-desc = ویرایش سرور
cmd-server-drain = تخلیه
cmd-server-drain-desc = مشتریانش بمانند، مشتری تازه نپذیرد
cmd-server-remove = حذف
cmd-server-remove-desc = حذف سروری که مشتری ندارد
cmd-server-list = فهرست
cmd-server-list-desc = همهٔ سرورها و بارشان
cmd-server-status = وضعیت
cmd-server-status-desc = پرسیدن حال سرور از درگاه آن
cmd-order = سفارش
cmd-order-desc = رسیدگی به سفارش‌ها
cmd-order-view = نمایش
cmd-order-view-desc = یک سفارش و تاریخچهٔ آن
cmd-order-retry = تلاش-دوباره
cmd-order-retry-desc = آماده‌سازی دوبارهٔ سفارش ناموفق
cmd-order-cancel = لغو
cmd-order-cancel-desc = لغو سفارش پرداخت‌نشده
cmd-stats = آمار
cmd-stats-desc = درآمد، سفارش‌ها، نرخ تأیید، زمان بررسی، بار و نمودار ۳۰ روزه
cmd-export = خروجی
cmd-export-desc = سفارش‌ها یا اشتراک‌ها به CSV یا JSON برای یک بازهٔ زمانی
cmd-audit = ممیزی
cmd-audit-desc = چه کسی چه کرد، تازه‌ترین اول
cmd-policy = سیاست
cmd-policy-desc = سیاست‌های قیمت‌گذاری، روش پرداخت و انتخاب سرور
cmd-policy-list = فهرست
cmd-policy-list-desc = نسخه‌های ذخیره‌شده و نسخه‌های فعال
cmd-policy-activate = فعال
cmd-policy-activate-desc = فعال کردن یک نسخهٔ ذخیره‌شده
cmd-policy-rollback = بازگشت
cmd-policy-rollback-desc = بازگشت به نسخهٔ پیشین
cmd-policy-config = تنظیم
cmd-policy-config-desc = تنظیمات سیاست فعال
cmd-broadcast = پیام-همگانی
cmd-broadcast-desc = پیام خصوصی به خریداران (اول پیش‌نمایش)

## پاسخ فرمان‌های مدیریت

admin-unknown-command = این فرمان را نمی‌شناسم.
admin-required = `{ $name }` لازم است.
admin-not-negative = `{ $name }` باید ۰ یا بیشتر باشد.
admin-bad-money = { $why }. مبلغ‌ها را این‌طور بنویسید: `250 EGP`.
admin-bad-kind = `{ $kind }` نوع پرداخت نیست.
admin-none-yet = هنوز هیچ
admin-plans-title = طرح‌ها
admin-plan-added = طرح `{ $id }` افزوده شد: { $name } به قیمت { $price }.
admin-plan-updated = طرح `{ $id }` به‌روز شد.
admin-plan-off-sale = طرح `{ $id }` از فروش برداشته شد.
admin-plan-line = `{ $id }` { $name } — { $duration }، { $traffic }، { $price }
admin-plan-trial = (آزمایشی)
admin-plan-trial-role = (آزمایشی، فقط برای { $role })
admin-plan-off = (خارج از فروش)
admin-methods-title = روش‌های پرداخت
admin-method-added = روش پرداخت `{ $id }` افزوده شد ({ $label }).
admin-method-updated = روش پرداخت `{ $id }` به‌روز شد.
admin-method-off = روش پرداخت `{ $id }` دیگر ارائه نمی‌شود.
admin-method-disabled = (خاموش)
admin-unknown-provider = ارائه‌دهندهٔ «{ $provider }» را نمی‌شناسم.
admin-provider-not-set-up = { $provider } در پیکربندی این فروشگاه راه‌اندازی نشده است ({ $section })؛ docs/payments.md را ببینید.
admin-servers-title = سرورها
admin-server-added = سرور `{ $id }` در { $region } افزوده شد.
admin-server-updated = سرور `{ $id }` به‌روز شد.
admin-server-draining = سرور `{ $id }` در حال تخلیه است: مشتریانش را نگه می‌دارد و مشتری تازه نمی‌پذیرد.
admin-server-removed = سرور `{ $id }` حذف شد.
admin-server-line = `{ $id }` { $name } ({ $region }) — { $status }، ظرفیت { $capacity }، { $url }
admin-server-up = روشن
admin-server-down = خاموش
admin-server-draining-word = در حال تخلیه
admin-panel-reachable = `{ $id }`: درگاه روشن است، پنل در دسترس است
admin-panel-unreachable = `{ $id }`: درگاه روشن است، پنل در دسترس نیست
admin-traffic-reset = ترافیک سفارش **{ $code }** روی { $servers } دوباره از صفر شمرده می‌شود؛ کلاینت‌هایش دوباره فعال شدند.
admin-order-declined-by = رد شده توسط { $admin }: { $reason }
admin-order-failed-after = پس از { $attempts } تلاش ناموفق: { $error }
admin-field-state = وضعیت
admin-field-kind = نوع
admin-kind-new = تازه
admin-kind-renewal = تمدید
admin-field-total = جمع
admin-field-pricing = قیمت‌گذاری
admin-field-history = تاریخچه
admin-policies-title = سیاست‌ها
admin-attach-wasm = پروندهٔ ‎.wasm را پیوست کنید.
admin-not-key-value = `{ $pair }` به شکل `کلید = مقدار` نیست.
admin-stats-title = آمار فروشگاه
admin-stats-today = امروز
admin-stats-all-time = از آغاز
admin-stats-approval = نرخ تأیید
admin-stats-review-time = میانهٔ زمان بررسی
admin-stats-by-state = سفارش‌ها بر پایهٔ وضعیت
admin-stats-per-server = اشتراک‌های فعال هر سرور
admin-stats-top-plans = پرفروش‌ترین طرح‌ها
admin-stats-by-policy = درآمد بر پایهٔ سیاست قیمت‌گذاری
admin-stats-by-provider = درآمد بر پایهٔ ارائه‌دهنده
admin-stats-plan-line = { $plan } — { $orders } سفارش، { $revenue }
admin-stats-footer = تا { $when } (UTC). درآمد فقط سفارش‌های انجام‌شده را می‌شمارد.
admin-not-a-date = `{ $text }` تاریخی مانند 2026-11-24 نیست.
admin-out-of-range = `{ $text }` بیرون از بازه است.
admin-from-after-to = `from` باید پیش از `to` یا برابر آن باشد.
admin-export-failed = خروجی گرفتن ناموفق بود: { $why }.
admin-exported = { $rows } { $what } از { $from } تا { $to } (UTC).
admin-audit-title = گزارش ممیزی
admin-audit-older = موارد قدیمی‌تر: `{ $command }` (با همان پالایه‌ها).
admin-expiring-needs-days = `expiring` به `days` نیاز دارد.
admin-plan-needs-id = `plan` به شناسهٔ طرح نیاز دارد.
admin-not-a-segment = `{ $segment }` یک گروه نیست: all، active، expiring، expired یا plan.
admin-setup-done = فروشگاه راه‌اندازی شد و ویترین فرستاده شد.
admin-setup-no-panel = ذخیره شد، اما ویترین فرستاده نشد: { $why }
admin-setup-unchecked = نتوانستم بررسی کنم که نقش مدیران می‌تواند از فرمان‌های مدیریت استفاده کند یا نه؛ `nebula doctor` هم این را بررسی می‌کند.
admin-role-cannot-use = اعضای { $role } هنوز نمی‌توانند از { $commands } استفاده کنند: دیسکورد این فرمان‌ها را به اعضای دارای مجوز «مدیریت سرور» نشان می‌دهد. در تنظیمات سرور ← یکپارچه‌سازی‌ها ← همین ربات، { $role } را به فرمان‌ها (یا همهٔ آن‌ها) بیفزایید یا به آن نقش مجوز «مدیریت سرور» بدهید.
admin-no-plan = طرحی به نام `{ $id }` نیست.
admin-no-server = سروری به نام `{ $id }` نیست.
cmd-order-reset-traffic = صفر-کردن-ترافیک
cmd-order-reset-traffic-desc = مصرف خرید یک سفارش را از صفر آغاز کن (روی همهٔ سرورهایش)
cmd-policy-upload = بارگذاری
cmd-policy-upload-desc = نصب سیاست (.wasm): بررسی‌ها، بردارهای آزمون، اجرای آزمایشی، سپس فعال
cmd-policy-dry-run = اجرای-آزمایشی
cmd-policy-dry-run-desc = تصمیم یک سیاست روی سفارش‌های واقعی اخیر، بی‌آنکه نصب شود

## صفحهٔ اشتراک (مرورگر روی لینک اشتراک)

page-used = { $used } از { $total } مصرف شده است.
page-subscriptions = اشتراک‌ها
page-subscription = { $plan }: { $status }، تا { $until } ({ $days } روز مانده)
page-status-used-up = ترافیک تمام شده
page-links = لینک‌ها
page-qr = کد QR
page-apps = برنامه‌ها
page-apps-intro = نشانی همین صفحه را در یکی از این برنامه‌ها به‌عنوان اشتراک اضافه کنید:
page-platform-ios = آیفون و آیپد
page-support = پشتیبانی

## هشدارها در کانال بررسی (خطاهای پنل یا ارائه‌دهنده همان‌طور که آمده‌اند)

alert-provisioning-failed = آماده‌سازی سفارش { $code } پس از تلاش { $attempts } ناموفق ماند: { $error }
alert-payment-not-awaited = پرداختی با { $provider } ({ $reference }، { $paid }) برای سفارش { $code } رسید، که { $state } است و دیگر منتظر پرداخت نیست. لطفاً آن را بازپرداخت کنید یا دستی انجام دهید.
alert-checkout-failed = باز کردن پرداخت { $provider } برای سفارش { $code } پس از { $attempts } تلاش ممکن نشد: { $error }. خریدار هنوز می‌تواند راه دیگری بپردازد یا تصویر رسید بفرستد.
alert-move-failed = جابه‌جایی اشتراک { $subscription } ({ $client }) به سرور { $server } پس از { $attempts } تلاش ممکن نشد: { $error }. سر جایش می‌ماند؛ کار سلامت دوباره جابه‌جایی را برنامه‌ریزی می‌کند.
alert-panel-disable = غیرفعال کردن { $client }
alert-panel-delete = حذف { $client }
alert-panel-reset = صفر کردن ترافیک { $client }
alert-panel-failed = { $what } روی سرور { $server } پس از { $attempts } تلاش ممکن نشد: { $error }. لطفاً پنل را بررسی کنید.
alert-discord-failed = «{ $effect }» پس از { $attempts } تلاش انجام نشد: { $error }
alert-drift = تطبیق روی سرور { $server } { $count } مغایرت یافت (چیزی تغییر نکرد):
alert-drift-more = …و { $more } مورد دیگر (گزارش ممیزی را ببینید)
alert-server-up = سرور { $server } دوباره روشن است ({ $minutes } دقیقه خاموش بود).
alert-server-down = سرور { $server } از { $since } خاموش است: { $error }. تا دوباره پاسخ ندهد به سفارش‌های تازه پیشنهاد نمی‌شود.
alert-moves-stuck = { $count } اشتراک روی سرور { $server } باید جابه‌جا شوند، اما نمی‌شود: { $reason }. سروری بیفزایید یا جا باز کنید.
alert-policy-failed = سیاست { $policy } ({ $hash }) شکست خورد: { $error }. تا دوباره کار نکند خریدی ممکن نیست: با `/policy rollback` برگردانید یا پیکربندی‌اش را با `/policy config` درست کنید.

## گزینه‌های فرمان‌های اسلش (توضیح‌ها؛ نام‌ها انگلیسی می‌مانند)

cmd-setup-shop_channel-desc = جای ویترین فروشگاه
cmd-setup-review_channel-desc = جای بررسی پرداخت‌ها توسط مدیران
cmd-setup-order_category-desc = دستهٔ کانال‌های خصوصی سفارش
cmd-setup-admin_role-desc = چه کسی می‌تواند تأیید، رد و مدیریت کند
cmd-plan-add-id-desc = مانند `month-50gb`
cmd-plan-add-name-desc = به خریداران نشان داده می‌شود
cmd-plan-add-days-desc = مدت به روز
cmd-plan-add-traffic_gb-desc = سهمیهٔ ترافیک به گیگابایت (۰ = نامحدود)
cmd-plan-add-devices-desc = دستگاه‌های هم‌زمان (۰ = بدون محدودیت)
cmd-plan-add-price-desc = مانند `250 EGP` یا `9.99 USD`
cmd-plan-add-sort-desc = جایگاه در ویترین (کوچک‌تر اول)
cmd-plan-add-servers-desc = روی چند سرور دسترسی می‌دهد (سهمیهٔ مشترک؛ پیش‌فرض ۱)
cmd-plan-add-regions-desc = فقط این منطقه‌ها، با ویرگول، اول یک سرور در هر کدام (`-` = هر جا)
cmd-plan-add-trial-desc = آزمایشی رایگان: قیمت ۰، حداکثر ۱۴ روز، یک بار برای هر حساب، بدون پرداخت
cmd-plan-add-trial_role-desc = فقط اعضای این نقش می‌توانند آزمایشی بگیرند
cmd-plan-edit-id-desc = طرح
cmd-plan-edit-name-desc = به خریداران نشان داده می‌شود
cmd-plan-edit-days-desc = مدت به روز
cmd-plan-edit-traffic_gb-desc = سهمیهٔ ترافیک به گیگابایت (۰ = نامحدود)
cmd-plan-edit-devices-desc = دستگاه‌های هم‌زمان (۰ = بدون محدودیت)
cmd-plan-edit-price-desc = مانند `250 EGP` یا `9.99 USD`
cmd-plan-edit-sort-desc = جایگاه در ویترین (کوچک‌تر اول)
cmd-plan-edit-servers-desc = روی چند سرور دسترسی می‌دهد (سهمیهٔ مشترک؛ پیش‌فرض ۱)
cmd-plan-edit-regions-desc = فقط این منطقه‌ها، با ویرگول، اول یک سرور در هر کدام (`-` = هر جا)
cmd-plan-edit-trial-desc = آزمایشی رایگان: قیمت ۰، حداکثر ۱۴ روز، یک بار برای هر حساب، بدون پرداخت
cmd-plan-edit-trial_role-desc = فقط اعضای این نقش می‌توانند آزمایشی بگیرند
cmd-plan-edit-active-desc = در فروش
cmd-plan-disable-id-desc = طرح
cmd-method-add-id-desc = مانند `vodafone-cash`
cmd-method-add-label-desc = روی دکمه نشان داده می‌شود
cmd-method-add-kind-desc = خریداران چگونه می‌پردازند
cmd-method-add-instructions-desc = چه باید کرد؛ می‌توان {"{"}amount{"}"} و {"{"}order{"}"} را به کار برد
cmd-method-add-min-desc = کمترین مبلغ، مانند `50 EGP`
cmd-method-add-max-desc = بیشترین مبلغ
cmd-method-add-provider-desc = پرداخت خودکار از راه (manual: تصویر رسید)
cmd-method-edit-id-desc = روش پرداخت
cmd-method-edit-label-desc = روی دکمه نشان داده می‌شود
cmd-method-edit-kind-desc = خریداران چگونه می‌پردازند
cmd-method-edit-instructions-desc = می‌توان {"{"}amount{"}"} و {"{"}order{"}"} را به کار برد
cmd-method-edit-min-desc = کمترین مبلغ (`none` برای حذف)
cmd-method-edit-max-desc = بیشترین مبلغ (`none` برای حذف)
cmd-method-edit-enabled-desc = ارائه می‌شود
cmd-method-edit-provider-desc = پرداخت خودکار از راه (manual: تصویر رسید)
cmd-method-disable-id-desc = روش پرداخت
cmd-server-add-id-desc = مانند `fra-1`
cmd-server-add-name-desc = نامی که مدیران بشناسند
cmd-server-add-region-desc = مانند `eu`، `us-east`
cmd-server-add-gateway_url-desc = نشانی پایهٔ درگاه
cmd-server-add-key_id-desc = کلید امضایی که فروشگاه برای آن به کار می‌برد
cmd-server-add-inbound_id-desc = inbound در 3x-ui برای کلاینت‌های تازه
cmd-server-add-public_host-desc = میزبانی که خریداران به آن وصل می‌شوند
cmd-server-add-capacity-desc = چند اشتراک فعال می‌پذیرد
cmd-server-add-tags-desc = جداشده با ویرگول
cmd-server-edit-id-desc = سرور
cmd-server-edit-name-desc = نامی که مدیران بشناسند
cmd-server-edit-region-desc = مانند `eu`، `us-east`
cmd-server-edit-gateway_url-desc = نشانی پایهٔ درگاه
cmd-server-edit-key_id-desc = کلید امضایی که فروشگاه برای آن به کار می‌برد
cmd-server-edit-inbound_id-desc = inbound در 3x-ui برای کلاینت‌های تازه
cmd-server-edit-public_host-desc = میزبانی که خریداران به آن وصل می‌شوند
cmd-server-edit-capacity-desc = چند اشتراک فعال می‌پذیرد
cmd-server-edit-tags-desc = جداشده با ویرگول
cmd-server-drain-id-desc = سرور
cmd-server-remove-id-desc = سرور
cmd-server-status-id-desc = سرور
cmd-order-view-code-desc = مانند NL-7K3F9Q2A
cmd-order-retry-code-desc = مانند NL-7K3F9Q2A
cmd-order-cancel-code-desc = مانند NL-7K3F9Q2A
cmd-order-reset-traffic-code-desc = مانند NL-7K3F9Q2A
cmd-export-what-desc = orders (سفارش‌ها) یا subscriptions (اشتراک‌ها)
cmd-export-format-desc = csv (پیش‌فرض) یا json
cmd-export-from-desc = روز نخست، YYYY-MM-DD (پیش‌فرض: ۳۰ روز پیش)
cmd-export-to-desc = روز پایانی، YYYY-MM-DD (پیش‌فرض: امروز)
cmd-audit-actor-desc = فقط کارهای این عضو
cmd-audit-order-desc = فقط این سفارش (مانند NL-7K3F9Q2A)
cmd-audit-action-desc = فقط کارهایی که با این آغاز می‌شوند (مانند order.)
cmd-audit-before-desc = قدیمی‌تر از این شمارهٔ ردیف (صفحهٔ بعد)
cmd-policy-upload-kind-desc = pricing، payment-methods یا server-selection
cmd-policy-upload-file-desc = مؤلفهٔ ‎.wasm
cmd-policy-upload-name-desc = نامی برای آن (پیش‌فرض: نام پرونده)
cmd-policy-dry-run-kind-desc = pricing، payment-methods یا server-selection
cmd-policy-dry-run-file-desc = مؤلفهٔ ‎.wasm
cmd-policy-activate-kind-desc = pricing، payment-methods یا server-selection
cmd-policy-activate-version-desc = sha256 آن
cmd-policy-rollback-kind-desc = pricing، payment-methods یا server-selection
cmd-policy-rollback-version-desc = sha256 آن
cmd-policy-config-kind-desc = pricing، payment-methods یا server-selection
cmd-policy-config-settings-desc = جفت‌های `کلید = مقدار` جداشده با `;` (خالی برای پاک کردن)
cmd-broadcast-segment-desc = چه کسانی دریافت کنند
cmd-broadcast-segment-all = همهٔ خریداران
cmd-broadcast-segment-active = دسترسی فعال
cmd-broadcast-segment-expiring = دسترسی تا `days` روز تمام می‌شود
cmd-broadcast-segment-expired = دسترسی تمام‌شده
cmd-broadcast-segment-plan = فعال روی `plan`
cmd-broadcast-message-desc = آنچه می‌خوانند
cmd-broadcast-days-desc = برای `expiring`: تا چند روز
cmd-broadcast-plan-desc = برای `plan`: شناسهٔ طرح

## سیاست‌ها (/policy)

policy-line = { $kind } `{ $hash }` { $name } ({ $bytes } بایت، { $installed })
policy-live = فعال
policy-installed = **{ $name }** اکنون سیاست فعال { $kind } است (`{ $hash }`). { $vectors } بردار آزمون گذشت؛ در { $checked } سفارش واقعی اخیر، { $changed } تصمیم متفاوت می‌گیرد.
policy-dry-run = نصب نشد. { $vectors } بردار آزمون گذشت؛ در { $checked } سفارش واقعی اخیر، { $changed } تصمیم متفاوت می‌گرفت.
policy-activated = **{ $name }** (`{ $hash }`) اکنون سیاست فعال { $kind } است.
policy-configured = سیاست { $kind } **{ $name }** اکنون با { $count } تنظیم کار می‌کند.
policy-no-match = هیچ سیاست { $kind } ذخیره‌شده‌ای با `{ $prefix }` آغاز نمی‌شود.
policy-ambiguous = `{ $prefix }` با چند نسخه جور است؛ بخش بیشتری از sha256 را بدهید.
