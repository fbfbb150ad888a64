# NebulaLinks: العربية. المفاتيح والمتغيرات نفسها في en.ftl (يتحقق منها bot/tests/locales.rs).
# النص من اليمين إلى اليسار؛ تُعزل القيم المُدرجة (رموز الطلبات والأسماء) لتبقى مقروءة.

## الوحدات والكلمات القصيرة

duration-days = { $days ->
    [one] يوم واحد
    [two] يومان
    [few] { $days } أيام
    [many] { $days } يومًا
   *[other] { $days } يوم
}
devices-any = أي عدد من الأجهزة
devices-count = { $count ->
    [one] جهاز واحد
    [two] جهازان
    [few] { $count } أجهزة
    [many] { $count } جهازًا
   *[other] { $count } جهاز
}
traffic-unlimited = غير محدود
traffic-gb = { $amount } غيغابايت
traffic-mb = { $amount } ميغابايت
used-of = { $used } من { $limit }
used-unlimited = { $used } (غير محدود)
region-in = في منطقة { $region }

state-awaiting_method = بانتظار اختيار طريقة الدفع
state-awaiting_proof = بانتظار إثبات الدفع
state-under_review = قيد المراجعة
state-provisioning = قيد التجهيز
state-fulfilled = مكتمل
state-declined = مرفوض
state-cancelled = ملغى
state-timed_out = منتهي المهلة
state-failed = فاشل

status-active = نشط
status-suspended = موقوف
status-expired = منتهٍ
status-deleted = محذوف

## واجهة المتجر واختيار الباقة

panel-title = الوصول إلى VPN
panel-empty = لا توجد باقات معروضة للبيع الآن. عُد لاحقًا.
panel-intro = اختر باقة عبر **شراء الوصول**. ادفع بإحدى طرقنا، وارفع لقطة شاشة، واحصل على رابطك فور موافقة أحد المشرفين.
plan-line = { $duration } · { $traffic } · { $devices } · **{ $price }**
button-buy = شراء الوصول
button-subscriptions = اشتراكاتي
button-help = مساعدة
button-language = اللغة
picker-free-trial = تجربة مجانية
picker-option-detail = { $duration }، { $traffic }
picker-placeholder = اختر باقة
picker-with-coupon = الأسعار مع القسيمة **{ $coupon }**:
picker-question = أي باقة تريد؟
button-coupon = لديّ قسيمة
nothing-on-sale = لا شيء معروض للبيع الآن. عُد لاحقًا.
help-text = **كيف يعمل المتجر**
    1. اضغط **شراء الوصول** واختر باقة (وقسيمة إن كانت لديك).
    2. تُفتح لك قناة خاصة: اختر طريقة الدفع واتبع التعليمات.
    3. ارفع لقطة شاشة لعملية الدفع هناك.
    4. يراجعها أحد المشرفين؛ فيصلك الرابط ورمز QR في القناة وفي رسالة خاصة.

    في **اشتراكاتي** تجد روابطك واستهلاكك وتاريخ الانتهاء، ويمكنك التجديد: يبقى الرابط نفسه بعد التجديد.

## اللغات

language-question = بأي لغة تريد أن يخاطبك المتجر؟
language-placeholder = اختر لغة
language-chosen = من الآن فصاعدًا سيخاطبك المتجر بالعربية.

## النماذج

coupon-modal-title = استخدام قسيمة
coupon-modal-field = رمز القسيمة
coupon-empty = يُرجى إدخال رمز القسيمة.
transfer-modal-title = تحويل USDT (TRC-20) الخاص بك
transfer-modal-field = معرّف المعاملة (الهاش)
decline-modal-title = رفض الدفعة
decline-modal-field = السبب (يراه المشتري)
form-expired = انتهت صلاحية هذا النموذج.
button-expired = لم يعد هذا الزر صالحًا.

## فتح الطلب

order-opening = جارٍ فتح طلبك…
order-open-soon = طلبك **{ $code }** مفتوح؛ ستظهر قناتك الخاصة بعد لحظات.
order-open-in = طلبك **{ $code }** مفتوح في { $channel }.
order-open-then-pay = اختر طريقة الدفع هناك.
order-open-then-trial = سيظهر وصولك هناك بعد لحظات.
pick-plan-from-list = يُرجى اختيار باقة من القائمة.
pick-plan = يُرجى اختيار باقة.
plan-gone = لم تعد هذه الباقة معروضة للبيع.
order-channel-topic = الطلب { $code } لباقة { $plan }

## قناة الطلب

field-plan = الباقة
field-price = السعر
field-shopper = المشتري
field-method = الطريقة
field-flags = ملاحظات
field-screenshot = لقطة الشاشة
field-region = المنطقة
field-expires = ينتهي في
field-traffic = البيانات
field-devices = الأجهزة
field-status = الحالة
field-used = المستهلك
plan-summary = { $plan } ({ $duration }، { $traffic }، { $devices })
price-total = **الإجمالي: { $total }**
order-footer = الطلب { $code }
order-title-new = طلبك
order-title-renewal = تجديدك
order-choose-method = اختر طريقة الدفع. يمكنك تغيير رأيك حتى ترفع لقطة الشاشة.
button-cancel = إلغاء
trial-title = تجربتك المجانية
trial-description = لا شيء للدفع: يجري تجهيز وصولك وسيظهر هنا بعد لحظات.
method-chosen = تعليمات **{ $method }** موجودة في القناة.
instructions-title = الدفع عبر { $method }
instructions-then-screenshot = ثم **ارفع لقطة شاشة لدفعتك في هذه القناة** (PNG أو JPEG أو WebP أو GIF).
instructions-then-tron = ثم اضغط **لقد دفعت** والصق معرّف المعاملة: يتحقق المتجر منها على الشبكة ويجهّز وصولك فورًا. (يمكنك أيضًا رفع لقطة شاشة للمشرف.)
instructions-then-link = سيصلك رابط الدفع بعد لحظات؛ بعد الدفع هناك يُجهَّز وصولك تلقائيًا.
button-paid = لقد دفعت
checkout-title = ادفع { $amount } عبر { $method }
checkout-description = افتح صفحة الدفع أدناه. فور تأكيد الدفعة يُجهَّز وصولك هنا تلقائيًا: لا حاجة إلى لقطة شاشة.
checkout-button = ادفع { $amount }
order-cancelled = أُلغي الطلب **{ $code }**.

## لقطات الشاشة

proof-not-yours = وحده { $owner } يستطيع إرسال لقطة شاشة الدفع لهذا الطلب.
proof-not-image = يُرجى رفع لقطة الشاشة كصورة (PNG أو JPEG أو WebP أو GIF).
proof-too-large = هذه الصورة كبيرة جدًا؛ الحد الأقصى { $mb } ميغابايت.
proof-not-now = هذا الطلب { $state }؛ وهو لا ينتظر لقطة شاشة.

## تحويلات USDT

usdt-not-set-up = الدفع بعملة USDT غير مُعدّ في هذا المتجر.
transfer-refused = { $why } يمكنك أيضًا رفع لقطة شاشة لدفعتك هنا ليراجعها مشرف.
transfer-paid = استُلمت الدفعة. يجري تجهيز وصولك الآن.
transfer-review = وصل تحويلك، لكن { $why }. سيطّلع عليه مشرف قريبًا.
transfer-already = احتُسب هذا التحويل لهذا الطلب من قبل.
transfer-not-awaiting = لم يعد هذا الطلب ينتظر دفعة؛ أُبلغ مشرف بتحويلك.
transfer-not-a-txid = هذا ليس معرّف معاملة على TRON (64 محرفًا ست عشريًا).
transfer-not-found = لم يُعثر على معاملة بهذا المعرّف على شبكة TRON.
transfer-failed = فشلت هذه المعاملة على الشبكة؛ لم تُنقل أي أموال.
transfer-not-confirmed = لم تتأكد هذه المعاملة بعد ({ $have } من { $need } تأكيدات)؛ حاول بعد دقيقة.
transfer-not-solidified = لم تصبح هذه المعاملة نهائية بعد؛ حاول بعد دقيقة.
transfer-not-a-transfer = هذه المعاملة ليست تحويل رموز.
transfer-wrong-token = هذا التحويل ليس { $symbol } (نُقل رمز آخر).
transfer-wrong-recipient = ذهب هذا التحويل إلى عنوان آخر غير عنوان المتجر.
transfer-before-order = أُجري هذا التحويل قبل فتح هذا الطلب.
transfer-wrong-currency = سعر { $symbol } في هذا المتجر محدد بـ { $rate }؛ والطلب بـ { $order }.
transfer-network-down = تعذّر الاستعلام من شبكة TRON الآن؛ يُرجى المحاولة بعد دقيقة.

## فروق الدفع

difference-wrong-currency = دُفع بـ { $got }، والطلب بـ { $expected }
difference-underpaid = دُفع { $got }، أقل من { $expected } المستحقة
difference-overpaid = دُفع { $got }، أكثر من { $expected } المستحقة
difference-paid-late = دُفع بعد انتهاء صلاحية الفاتورة

## المراجعة (المشرفون)

review-title = دفعة للمراجعة
flag-first-order = 🆕 أول طلب
flag-duplicate-proof = ⚠️ استُخدمت لقطة الشاشة نفسها للطلب { $code }
flag-payment = 💳 { $provider } { $reference }: دُفع { $paid }
screenshot-gone = لم تعد محفوظة
button-approve = موافقة
button-decline = رفض
review-approved-by = ✅ وافق عليه { $admin }
review-declined-by = ❌ رفضه { $admin }
review-paid = ✅ دُفع تلقائيًا عبر { $provider }؛ لا حاجة إلى مراجعة.
order-approved = تمت الموافقة على الطلب **{ $code }**؛ يجري تجهيز الوصول.
order-declined = رُفض الطلب **{ $code }**؛ وأُبلغ المشتري بالسبب.
order-retrying = إعادة محاولة الطلب **{ $code }**.
alert-title = ⚠️ يحتاج إلى انتباه
button-retry = إعادة المحاولة

## الوصول

access-title-ready = وصولك جاهز
access-title-renewed = تم تجديد وصولك
access-import = استورد هذا الرابط في تطبيق VLESS لديك (v2rayNG وHiddify وStreisand وغيرها)، أو امسح رمز QR. احتفظ به لنفسك.
access-multi = تعمل باقتك على { $count } خوادم بحصة مشتركة واحدة. رابط الاشتراك أدناه يضمها جميعًا؛ أو استورد رابطًا لكل خادم. احتفظ بها لنفسك.
links-alternatives = إن لم يتصل، جرّب عنوانًا آخر للخادم نفسه:
links-more-in-subscription = (و{ $count } أخرى في رابط اشتراكك)
links-more-ask = (و{ $count } أخرى: اسأل مشرفًا)
field-personal-url = رابط اشتراكك
personal-url-explained = أضفه إلى تطبيقك كاشتراك: يحمل كل وصولك، ويتحدّث تلقائيًا، ويبقى كما هو عند التجديد.
field-subscription-url = رابط الاشتراك

## إشعارات قناة الطلب

notice-under-review-title = قيد المراجعة
notice-under-review = شكرًا! دفعتك قيد المراجعة. سيصلك رابطك هنا فور الموافقة عليها.
notice-declined-title = رُفضت الدفعة
notice-declined = رُفضت دفعتك: { $reason }
    إن كنت تظن أن هذا خطأ، فتواصل مع مشرف.
notice-cancelled-title = أُلغي الطلب
notice-cancelled-by-admin = ألغى أحد المشرفين هذا الطلب.
notice-cancelled-by-you = ألغيت هذا الطلب. لم يُخصم أي مبلغ.
notice-timed-out-title = انتهت مهلة الطلب
notice-timed-out = لم يُدفع هذا الطلب في الوقت المحدد فأُغلق. يمكنك بدء طلب جديد من المتجر.
notice-delayed-title = أوشكنا
notice-delayed = تمت الموافقة على دفعتك، لكن تجهيز وصولك واجه مشكلة. أُبلغ أحد المشرفين وسيعالجها.
notice-paid-title = استُلمت الدفعة
notice-paid = تأكدت دفعتك عبر { $provider }. يجري تجهيز وصولك الآن.
notice-paid-review-title = الدفعة قيد المراجعة
notice-paid-review = وصلت دفعتك عبر { $provider }، لكن { $why }. سيطّلع عليها مشرف ويرد عليك هنا.

## إشعارات الرسائل الخاصة

sub-ending-title = وصولك ينتهي قريبًا
sub-ending = ينتهي وصولك إلى **{ $plan }** في { $when }. جدّد الآن لتحتفظ بالرابط نفسه.
sub-expired-title = انتهى وصولك
sub-expired = انتهى وصولك إلى **{ $plan }** في { $when }. جدّد لتعيد تشغيله بالرابط نفسه.
sub-traffic-out-title = نفدت البيانات
sub-traffic-out = استهلك وصولك إلى **{ $plan }** كامل { $limit } وأصبح موقوفًا. جدّد لتحصل على حصة جديدة بالرابط نفسه.
sub-traffic-low-title = البيانات توشك على النفاد
sub-traffic-low = استهلك وصولك إلى **{ $plan }** { $percent }٪ من بياناته ({ $used } من { $limit }).
sub-device-limit-title = بلغت حد الأجهزة
sub-device-limit = حاول { $device } استخدام اشتراكك، لكن باقتك تسمح بـ { $devices } وكلها قيد الاستخدام. أزل جهازًا لم تعد تستخدمه من **أجهزتي**، ثم حدّث التطبيق.
sub-device-new = جهاز جديد
sub-moved-title = نُقل وصولك
sub-moved = أُخرج أحد خوادم **{ $plan }** ({ $from }) من الخدمة، فأصبح وصولك يعمل على خادم آخر ({ $to }). التطبيقات التي تستخدم رابط اشتراكك الشخصي تلتقط ذلك عند تحديثها التالي؛ أما الرابط المنفرد الذي نسخته يدويًا فيجب نسخه مجددًا من **اشتراكاتي**.
region-unknown = مكان آخر
button-renew = تجديد { $plan }
button-devices = أجهزتي

## اشتراكاتي وأجهزتي

subs-none = ليس لديك اشتراكات بعد. استخدم **شراء الوصول** للحصول على واحد.
subs-url-title = رابط اشتراكك
subs-url = رابط واحد لكل وصولك: أضفه إلى تطبيقك كاشتراك وسيتحدّث تلقائيًا. احتفظ به لنفسك.
button-reset-link = إعادة تعيين الرابط
reset-confirm = رابط الاشتراك الجديد يوقف القديم فورًا: يجب على كل تطبيق وجهاز يستخدمه إضافة الجديد. استخدم هذا إن شُورك الرابط أو تسرّب.
button-reset-confirm = نعم، أعطني رابطًا جديدًا
reset-link-none = لا يقدّم هذا المتجر روابط اشتراك.
reset-link-done = هذا رابط اشتراكك الجديد. لم يعد القديم يعمل: أضف هذا إلى تطبيقاتك.
devices-none = لم يجلب أي جهاز رابط اشتراكك بعد (التطبيقات التي لا تذكر نوع الجهاز لا تُحتسب).
devices-allowed = تسمح باقتك بـ { $devices }. قيد الاستخدام:
device-line = { $n }. { $what }، آخر ظهور { $when }
device-unnamed = جهاز بلا اسم
button-remove-device = إزالة { $n }

## الرسائل الجماعية

broadcast-title = إعلان
broadcast-footer = تصلك هذه الرسالة لأنك استخدمت هذا المتجر. أوقف هذه الرسائل بالزر أدناه.
button-stop-broadcasts = أوقف هذه الرسائل
broadcast-preview = ستُرسل هذه الرسالة إلى **{ $count }** ({ $segment }) برسائل خاصة، واحدة تلو الأخرى. هكذا تبدو:
button-send-broadcast = إرسال إلى { $count }
broadcast-sending = جارٍ الإرسال إلى { $count } مشترين؛ يظهر التقدم في هذه القناة.
broadcast-opted-out = لن تصلك إعلانات هذا المتجر بعد الآن. لا يتأثر طلبك ولا وصولك.
broadcast-progress-going = **الإعلان قيد الإرسال** إلى { $count } ({ $segment }): أُرسل { $sent }، فشل { $failed }، تُخطّي { $skipped } (ألغوا الاشتراك)، بقي { $left }.
broadcast-progress-done = **أُرسل الإعلان** إلى { $count } ({ $segment }): أُرسل { $sent }، فشل { $failed }، تُخطّي { $skipped } (ألغوا الاشتراك)، بقي { $left }.
segment-all = كل المشترين
segment-active = المشترون ذوو الوصول النشط
segment-expiring = المشترون الذين ينتهي وصولهم خلال { $days } يوم
segment-expired = المشترون الذين انتهى وصولهم
segment-plan = المشترون ذوو الوصول النشط على الباقة { $plan }

## الأخطاء

error-internal = حدث خطأ من جانبنا؛ التفاصيل في السجل.
error-store = حدث خطأ من جانبنا. يُرجى المحاولة بعد قليل.
error-policy-not-installed = لم تُثبَّت السياسة: { $why }.
error-gateway = لم تُجب بوابة الخادم كما هو متوقع ({ $why }).
gateway-timed-out = انتهت المهلة
gateway-unreachable = تعذّر الوصول
error-discord = لم يقبل Discord ذلك؛ يُرجى المحاولة بعد قليل.
error-not-admin = هذا متاح للمشرفين فقط.
error-not-set-up = لم يُعَدّ المتجر بعد: على أحد المشرفين تشغيل /setup.
error-too-slow = استغرق ذلك وقتًا طويلًا؛ يُرجى المحاولة مجددًا.
error-already-approved = سبق أن وافق { $admin } على هذا الطلب.
error-already-declined = سبق أن رفض { $admin } هذا الطلب.
error-not-found = لا يوجد هنا شيء باسم `{ $id }`.
error-exists = `{ $id }` موجود مسبقًا.
error-invalid = هذا غير صحيح: { $why }.
error-money = هذا المبلغ لا يصلح: { $why }.
error-no-method = لا تتوفر طريقة دفع لهذه الباقة الآن. يُرجى التواصل مع مشرف.
error-policy = لا يستطيع المتجر تسعير هذا الآن؛ أُبلغ أحد المشرفين. لم يُخصم أي مبلغ.
rejection-not-allowed-now = هذا الطلب { $state }؛ لا يمكن فعل ذلك الآن.
rejection-not-your-order = هذا ليس طلبك.
rejection-system-only = وحده المتجر نفسه يستطيع فعل ذلك.
rejection-method-not-offered = طريقة الدفع هذه غير متاحة لهذا الطلب.
rejection-bad-reason = السبب مطلوب (من 1 إلى { $max } محرفًا).
rejection-not-due = لم يحن موعد انتهاء مهلة هذا الطلب بعد.
rejection-no-server = لا يستطيع أي خادم استقبال هذا الطلب الآن؛ أُبلغ أحد المشرفين.
rejection-payment-used = استُخدمت هذه الدفعة من قبل للطلب { $code }.
rejection-not-a-trial = هذه الباقة ليست تجربة.
trial-already-used = سبق أن حصلت على تجربتك المجانية (الطلب { $code }).
trial-role-required = هذه التجربة مخصصة لأعضاء الدور { $role } فقط.
trial-too-young = عمر حسابك على Discord { $age } يوم؛ تتطلب التجربة حسابًا لا يقل عمره عن { $min } يوم.
trial-not-free = سعّرت سياسة التسعير هذه التجربة بـ { $total }، والتجربة مجانية: على أحد المشرفين إصلاح السياسة.
trial-not-renewable = لا يمكن تجديد التجربة؛ اختر باقة للاحتفاظ بوصولك.
