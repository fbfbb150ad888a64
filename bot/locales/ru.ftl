# NebulaLinks: русский. Те же ключи и переменные, что в en.ftl (проверяет bot/tests/locales.rs).

## Единицы и короткие слова

duration-days = { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
}
devices-any = любое число устройств
devices-count = { $count ->
    [one] { $count } устройство
    [few] { $count } устройства
   *[many] { $count } устройств
}
traffic-unlimited = без ограничений
traffic-gb = { $amount } ГБ
traffic-mb = { $amount } МБ
used-of = { $used } из { $limit }
used-unlimited = { $used } (без ограничений)
region-in = в регионе { $region }

state-awaiting_method = ждёт выбора способа оплаты
state-awaiting_proof = ждёт подтверждения оплаты
state-under_review = на проверке
state-provisioning = настраивается
state-fulfilled = выполнен
state-declined = отклонён
state-cancelled = отменён
state-timed_out = истёк
state-failed = не удался

status-active = активна
status-suspended = приостановлена
status-expired = истекла
status-deleted = удалена

## Витрина и выбор тарифа

panel-title = Доступ к VPN
panel-empty = Сейчас нет тарифов в продаже. Загляните позже.
panel-intro = Выберите тариф кнопкой **Купить доступ**. Оплатите удобным способом, загрузите скриншот — и получите ссылку, как только администратор подтвердит оплату.
plan-line = { $duration } · { $traffic } · { $devices } · **{ $price }**
button-buy = Купить доступ
button-subscriptions = Мои подписки
button-help = Помощь
button-language = Язык
picker-free-trial = бесплатный пробный период
picker-option-detail = { $duration }, { $traffic }
picker-placeholder = Выберите тариф
picker-with-coupon = Цены с купоном **{ $coupon }**:
picker-question = Какой тариф вам подходит?
button-coupon = У меня есть купон
nothing-on-sale = Сейчас ничего нет в продаже. Загляните позже.
help-text = **Как это работает**
    1. Нажмите **Купить доступ** и выберите тариф (и купон, если он есть).
    2. Откроется личный канал: выберите способ оплаты и следуйте инструкции.
    3. Загрузите туда скриншот оплаты.
    4. Администратор проверит его — ссылка и QR-код придут в канал и в личные сообщения.

    В разделе **Мои подписки** — ваши ссылки, расход трафика и срок действия; там же можно продлить подписку, ссылка при этом не меняется.

## Языки

language-question = На каком языке магазину с вами общаться?
language-placeholder = Выберите язык
language-chosen = Теперь магазин пишет вам по-русски.

## Формы

coupon-modal-title = Купон
coupon-modal-field = Код купона
coupon-empty = Введите код купона.
transfer-modal-title = Ваш перевод USDT (TRC-20)
transfer-modal-field = ID транзакции (хеш)
decline-modal-title = Отклонить оплату
decline-modal-field = Причина (её увидит покупатель)
form-expired = Эта форма устарела.
button-expired = Эта кнопка больше не действует.

## Открытие заказа

order-opening = Открываем заказ…
order-open-soon = Заказ **{ $code }** открыт; личный канал появится через мгновение.
order-open-in = Заказ **{ $code }** открыт в канале { $channel }.
order-open-then-pay = Выберите там способ оплаты.
order-open-then-trial = Доступ появится там через мгновение.
pick-plan-from-list = Выберите тариф из списка.
pick-plan = Выберите тариф.
plan-gone = Этот тариф больше не продаётся.
order-channel-topic = Заказ { $code }: { $plan }

## Канал заказа

field-plan = Тариф
field-price = Цена
field-shopper = Покупатель
field-method = Способ оплаты
field-flags = Отметки
field-screenshot = Скриншот
field-region = Регион
field-expires = Действует до
field-traffic = Трафик
field-devices = Устройства
field-status = Статус
field-used = Израсходовано
plan-summary = { $plan } ({ $duration }, { $traffic }, { $devices })
price-total = **Итого: { $total }**
order-footer = Заказ { $code }
order-title-new = Ваш заказ
order-title-renewal = Ваше продление
order-choose-method = Выберите способ оплаты. Передумать можно, пока скриншот не загружен.
button-cancel = Отменить
trial-title = Ваш бесплатный пробный период
trial-description = Платить ничего не нужно: доступ уже настраивается и появится здесь через мгновение.
method-chosen = Инструкция по оплате через **{ $method }** — в канале заказа.
instructions-title = Оплата: { $method }
instructions-then-screenshot = Затем **загрузите в этот канал скриншот оплаты** (PNG, JPEG, WebP или GIF).
instructions-then-tron = Затем нажмите **Я оплатил** и вставьте ID транзакции: магазин проверит её в сети и сразу выдаст доступ. (Можно и загрузить скриншот для администратора.)
instructions-then-link = Ссылка на оплату придёт через мгновение; после оплаты доступ настроится сам.
button-paid = Я оплатил
checkout-title = Оплатить { $amount } через { $method }
checkout-description = Откройте страницу оплаты ниже. Как только платёж подтвердится, доступ появится здесь сам — скриншот не нужен.
checkout-button = Оплатить { $amount }
order-cancelled = Заказ **{ $code }** отменён.

## Скриншоты

proof-not-yours = Скриншот оплаты этого заказа может прислать только { $owner }.
proof-not-image = Загрузите скриншот как изображение (PNG, JPEG, WebP или GIF).
proof-too-large = Изображение слишком большое; предел — { $mb } МБ.
proof-not-now = Этот заказ { $state }; скриншот сейчас не нужен.

## Переводы USDT

usdt-not-set-up = Оплата в USDT в этом магазине не настроена.
transfer-refused = { $why } Можно также загрузить сюда скриншот оплаты для администратора.
transfer-paid = Оплата получена. Доступ уже настраивается.
transfer-review = Перевод пришёл, но { $why }. Администратор скоро посмотрит.
transfer-already = Этот перевод уже засчитан для этого заказа.
transfer-not-awaiting = Этот заказ больше не ждёт оплаты; администратору сообщили о вашем переводе.
transfer-not-a-txid = Это не ID транзакции TRON (64 шестнадцатеричных символа).
transfer-not-found = Транзакция с таким ID в сети TRON не найдена.
transfer-failed = Эта транзакция в сети не прошла; деньги не списаны.
transfer-not-confirmed = Транзакция ещё не подтверждена ({ $have } из { $need } подтверждений); попробуйте через минуту.
transfer-not-solidified = Транзакция ещё не окончательная; попробуйте через минуту.
transfer-not-a-transfer = Эта транзакция — не перевод токенов.
transfer-wrong-token = Это не перевод { $symbol } (переведён другой токен).
transfer-wrong-recipient = Перевод ушёл на другой адрес, не на адрес магазина.
transfer-before-order = Перевод сделан раньше, чем открыт этот заказ.
transfer-wrong-currency = Курс { $symbol } в этом магазине задан в { $rate }, а заказ — в { $order }.
transfer-network-down = Сеть TRON сейчас не отвечает; попробуйте через минуту.

## Расхождения в оплате

difference-wrong-currency = оплачено в { $got }, а заказ в { $expected }
difference-underpaid = оплачено { $got }, меньше положенных { $expected }
difference-overpaid = оплачено { $got }, больше положенных { $expected }
difference-paid-late = оплачено после истечения счёта

## Проверка (администраторы)

review-title = Оплата на проверку
flag-first-order = 🆕 первый заказ
flag-duplicate-proof = ⚠️ этот же скриншот уже был в заказе { $code }
flag-payment = 💳 { $provider } { $reference }: оплачено { $paid }
screenshot-gone = больше не хранится
button-approve = Подтвердить
button-decline = Отклонить
review-approved-by = ✅ Подтвердил(а) { $admin }
review-declined-by = ❌ Отклонил(а) { $admin }
review-paid = ✅ Оплачено автоматически через { $provider }; проверка не нужна.
order-approved = Заказ **{ $code }** подтверждён; доступ настраивается.
order-declined = Заказ **{ $code }** отклонён; покупателю сообщили причину.
order-retrying = Пробуем заказ **{ $code }** ещё раз.
alert-title = ⚠️ Требует внимания
button-retry = Повторить

## Доступ

access-title-ready = Ваш доступ готов
access-title-renewed = Ваш доступ продлён
access-import = Импортируйте эту ссылку в VLESS-приложение (v2rayNG, Hiddify, Streisand, ...) или отсканируйте QR-код. Никому её не передавайте.
access-multi = Ваш тариф работает на { $count } серверах с общим лимитом. Ссылка-подписка ниже содержит их все; можно и импортировать по ссылке на каждый сервер. Никому их не передавайте.
links-alternatives = Если не подключается, попробуйте другой адрес того же сервера:
links-more-in-subscription = (и ещё { $count } — в вашей ссылке-подписке)
links-more-ask = (и ещё { $count } — спросите администратора)
field-personal-url = Ваша ссылка-подписка
personal-url-explained = Добавьте её в приложение как подписку: в ней весь ваш доступ, она обновляется сама и не меняется при продлении.
field-subscription-url = Ссылка-подписка

## Уведомления в канале заказа

notice-under-review-title = На проверке
notice-under-review = Спасибо! Ваша оплата на проверке. Ссылка придёт сюда, как только её подтвердят.
notice-declined-title = Оплата отклонена
notice-declined = Ваша оплата отклонена: { $reason }
    Если это ошибка, напишите администратору.
notice-cancelled-title = Заказ отменён
notice-cancelled-by-admin = Администратор отменил этот заказ.
notice-cancelled-by-you = Вы отменили этот заказ. Деньги не списаны.
notice-timed-out-title = Время заказа истекло
notice-timed-out = Заказ не оплатили вовремя, и он закрыт. Новый можно оформить в магазине.
notice-delayed-title = Почти готово
notice-delayed = Оплата подтверждена, но при настройке доступа возникла проблема. Администратор уже знает и всё исправит.
notice-paid-title = Оплата получена
notice-paid = Платёж через { $provider } подтверждён. Доступ уже настраивается.
notice-paid-review-title = Оплата на проверке
notice-paid-review = Платёж через { $provider } пришёл, но { $why }. Администратор посмотрит и ответит здесь.

## Уведомления в личных сообщениях

sub-ending-title = Доступ скоро закончится
sub-ending = Доступ **{ $plan }** заканчивается { $when }. Продлите сейчас, чтобы сохранить ту же ссылку.
sub-expired-title = Доступ закончился
sub-expired = Доступ **{ $plan }** закончился { $when }. Продлите, чтобы снова включить его по той же ссылке.
sub-traffic-out-title = Трафик закончился
sub-traffic-out = Доступ **{ $plan }** израсходовал все { $limit } и приостановлен. Продлите, чтобы получить новый лимит по той же ссылке.
sub-traffic-low-title = Трафик на исходе
sub-traffic-low = Доступ **{ $plan }** израсходовал { $percent }% трафика ({ $used } из { $limit }).
sub-device-limit-title = Достигнут предел устройств
sub-device-limit = { $device } пытается использовать вашу подписку, но ваш тариф допускает { $devices }, и все они заняты. Удалите ненужное в разделе **Мои устройства** и обновите приложение.
sub-device-new = Новое устройство
sub-moved-title = Ваш доступ перенесён
sub-moved = Один из серверов тарифа **{ $plan }** ({ $from }) выведен из работы, поэтому доступ теперь работает на другом ({ $to }). Приложения с личной ссылкой-подпиской подхватят это при следующем обновлении; отдельную ссылку, скопированную вручную, скопируйте заново в разделе **Мои подписки**.
region-unknown = другой регион
button-renew = Продлить { $plan }
button-devices = Мои устройства

## Мои подписки и устройства

subs-none = У вас пока нет подписок. Нажмите **Купить доступ**, чтобы оформить.
subs-url-title = Ваша ссылка-подписка
subs-url = Одна ссылка на весь ваш доступ: добавьте её в приложение как подписку, и она будет обновляться сама. Никому её не передавайте.
button-reset-link = Сменить ссылку
reset-confirm = Новая ссылка-подписка сразу отключает старую: все приложения и устройства со старой ссылкой должны добавить новую. Делайте это, если ссылка попала к посторонним.
button-reset-confirm = Да, дайте новую ссылку
reset-link-none = Этот магазин не выдаёт ссылки-подписки.
reset-link-done = Вот ваша новая ссылка-подписка. Старая больше не работает: добавьте новую в свои приложения.
devices-none = Ни одно устройство ещё не загружало вашу ссылку-подписку (приложения, которые не сообщают, что они за устройство, не учитываются).
devices-allowed = Ваш тариф допускает { $devices }. Сейчас используются:
device-line = { $n }. { $what }, последний раз { $when }
device-unnamed = Устройство без названия
button-remove-device = Удалить { $n }

## Рассылки

broadcast-title = Объявление
broadcast-footer = Вы получили это, потому что пользовались этим магазином. Отключить такие сообщения можно кнопкой ниже.
button-stop-broadcasts = Больше не присылать
broadcast-preview = Получат **{ $count }** ({ $segment }), в личные сообщения, по одному. Так это будет выглядеть:
button-send-broadcast = Отправить ({ $count })
broadcast-sending = Отправляем { $count } покупателям; ход рассылки — в этом канале.
broadcast-opted-out = Вы больше не будете получать объявления этого магазина. На заказы и доступ это не влияет.
broadcast-progress-going = **Рассылка идёт** ({ $count }, { $segment }): отправлено { $sent }, не удалось { $failed }, пропущено { $skipped } (отписались), осталось { $left }.
broadcast-progress-done = **Рассылка завершена** ({ $count }, { $segment }): отправлено { $sent }, не удалось { $failed }, пропущено { $skipped } (отписались), осталось { $left }.
segment-all = все покупатели
segment-active = покупатели с активным доступом
segment-expiring = { $days ->
    [one] покупатели, чей доступ кончается в течение { $days } дня
   *[other] покупатели, чей доступ кончается в течение { $days } дней
}
segment-expired = покупатели, чей доступ закончился
segment-plan = покупатели с активным доступом по тарифу { $plan }

## Ошибки

error-internal = У нас что-то пошло не так; подробности в журнале.
error-store = У нас что-то пошло не так. Попробуйте ещё раз через минуту.
error-policy-not-installed = Политика не установлена: { $why }.
error-gateway = Шлюз сервера ответил не так, как ожидалось ({ $why }).
gateway-timed-out = нет ответа вовремя
gateway-unreachable = недоступен
error-discord = Discord это не принял; попробуйте ещё раз через минуту.
error-not-admin = Это могут делать только администраторы.
error-not-set-up = Магазин ещё не настроен: администратору нужно выполнить /setup.
error-too-slow = Это заняло слишком много времени; попробуйте ещё раз.
error-already-approved = Этот заказ уже подтвердил(а) { $admin }.
error-already-declined = Этот заказ уже отклонил(а) { $admin }.
error-not-found = Здесь нет ничего с именем `{ $id }`.
error-exists = `{ $id }` уже существует.
error-invalid = Так не получится: { $why }.
error-money = С этой суммой не выйдет: { $why }.
error-no-method = Для этого тарифа сейчас нет доступного способа оплаты. Обратитесь к администратору.
error-policy = Магазин сейчас не может рассчитать цену; администратору сообщили. Деньги не списаны.
rejection-not-allowed-now = Этот заказ { $state }; сейчас это сделать нельзя.
rejection-not-your-order = Это не ваш заказ.
rejection-system-only = Это может сделать только сам магазин.
rejection-method-not-offered = Этот способ оплаты недоступен для этого заказа.
rejection-bad-reason = Нужна причина (от 1 до { $max } символов).
rejection-not-due = Срок этого заказа ещё не истёк.
rejection-no-server = Сейчас ни один сервер не может принять этот заказ; администратору сообщили.
rejection-payment-used = Этот платёж уже использован для заказа { $code }.
rejection-not-a-trial = Этот тариф — не пробный.
trial-already-used = Вы уже пользовались бесплатным пробным периодом (заказ { $code }).
trial-role-required = Этот пробный период только для участников с ролью { $role }.
trial-too-young = Вашему аккаунту Discord { $age } дн.; для пробного периода нужен аккаунт не моложе { $min } дн.
trial-not-free = Политика цен оценила этот пробный период в { $total }, а он должен быть бесплатным: администратору нужно исправить политику.
trial-not-renewable = Пробный период нельзя продлить; выберите тариф, чтобы сохранить доступ.

## Слеш-команды (названия строчными, без пробелов)

cmd-setup = настройка
cmd-setup-desc = Каналы магазина, роль администраторов и витрина
cmd-plan = тариф
cmd-plan-desc = Управление тарифами
cmd-plan-add = добавить
cmd-plan-add-desc = Добавить тариф
cmd-plan-edit = изменить
cmd-plan-edit-desc = Изменить тариф
cmd-plan-disable = снять
cmd-plan-disable-desc = Снять тариф с продажи
cmd-plan-list = список
cmd-plan-list-desc = Все тарифы
cmd-method = способ-оплаты
cmd-method-desc = Управление способами оплаты
cmd-method-add = добавить
cmd-method-add-desc = Добавить способ оплаты
cmd-method-edit = изменить
cmd-method-edit-desc = Изменить способ оплаты
cmd-method-disable = отключить
cmd-method-disable-desc = Больше не предлагать способ
cmd-method-list = список
cmd-method-list-desc = Все способы оплаты
cmd-server = сервер
cmd-server-desc = Управление VPN-серверами
cmd-server-add = добавить
cmd-server-add-desc = Добавить сервер
cmd-server-edit = изменить
cmd-server-edit-desc = Изменить сервер
cmd-server-drain = вывести
cmd-server-drain-desc = Оставить клиентов, не принимать новых
cmd-server-remove = удалить
cmd-server-remove-desc = Удалить сервер без клиентов
cmd-server-list = список
cmd-server-list-desc = Все серверы и их загрузка
cmd-server-status = статус
cmd-server-status-desc = Спросить шлюз сервера о его состоянии
cmd-order = заказ
cmd-order-desc = Работа с заказами
cmd-order-view = показать
cmd-order-view-desc = Заказ и его история
cmd-order-retry = повторить
cmd-order-retry-desc = Снова выдать доступ по неудавшемуся заказу
cmd-order-cancel = отменить
cmd-order-cancel-desc = Отменить неоплаченный заказ
cmd-stats = статистика
cmd-stats-desc = Выручка, заказы, доля одобрений, время проверки, нагрузка и график за 30 дней
cmd-export = экспорт
cmd-export-desc = Заказы или подписки в CSV или JSON за период
cmd-audit = журнал
cmd-audit-desc = Кто что сделал, сначала новое
cmd-policy = политика
cmd-policy-desc = Политики цен, способов оплаты и выбора серверов
cmd-policy-list = список
cmd-policy-list-desc = Сохранённые версии и какие из них действуют
cmd-policy-activate = включить
cmd-policy-activate-desc = Сделать сохранённую версию действующей
cmd-policy-rollback = откатить
cmd-policy-rollback-desc = Вернуться к прежней версии
cmd-policy-config = настройки
cmd-policy-config-desc = Настройки действующей политики
cmd-broadcast = рассылка
cmd-broadcast-desc = Сообщение покупателям в личку (сначала предпросмотр)

## Ответы админ-команд

admin-unknown-command = Я не знаю такой команды.
admin-required = Нужно указать `{ $name }`.
admin-not-negative = `{ $name }` должно быть 0 или больше.
admin-bad-money = { $why }. Пишите суммы так: `250 EGP`.
admin-bad-kind = `{ $kind }` — не вид оплаты.
admin-none-yet = пока нет
admin-plans-title = Тарифы
admin-plan-added = Тариф `{ $id }` добавлен: { $name } за { $price }.
admin-plan-updated = Тариф `{ $id }` изменён.
admin-plan-off-sale = Тариф `{ $id }` снят с продажи.
admin-plan-line = `{ $id }` { $name } — { $duration }, { $traffic }, { $price }
admin-plan-trial = (пробный)
admin-plan-trial-role = (пробный, только для { $role })
admin-plan-off = (снят с продажи)
admin-methods-title = Способы оплаты
admin-method-added = Способ оплаты `{ $id }` добавлен ({ $label }).
admin-method-updated = Способ оплаты `{ $id }` изменён.
admin-method-off = Способ оплаты `{ $id }` больше не предлагается.
admin-method-disabled = (выключен)
admin-unknown-provider = Я не знаю провайдера «{ $provider }».
admin-provider-not-set-up = { $provider } не настроен в конфигурации магазина ({ $section }); см. docs/payments.md.
admin-servers-title = Серверы
admin-server-added = Сервер `{ $id }` добавлен в регион { $region }.
admin-server-updated = Сервер `{ $id }` изменён.
admin-server-draining = Сервер `{ $id }` выводится: клиенты остаются, новых он не принимает.
admin-server-removed = Сервер `{ $id }` удалён.
admin-server-line = `{ $id }` { $name } ({ $region }) — { $status }, ёмкость { $capacity }, { $url }
admin-server-up = работает
admin-server-down = не работает
admin-server-draining-word = выводится
admin-panel-reachable = `{ $id }`: шлюз работает, панель доступна
admin-panel-unreachable = `{ $id }`: шлюз работает, панель недоступна
admin-traffic-reset = Трафик заказа **{ $code }** снова считается с нуля на { $servers }; его клиенты снова включены.
admin-order-declined-by = отклонён { $admin }: { $reason }
admin-order-failed-after = не удался после { $attempts ->
    [one] { $attempts } попытки
   *[other] { $attempts } попыток
}: { $error }
admin-field-state = Состояние
admin-field-kind = Вид
admin-kind-new = новый
admin-kind-renewal = продление
admin-field-total = Итого
admin-field-pricing = Цены
admin-field-history = История
admin-policies-title = Политики
admin-attach-wasm = Приложите файл .wasm.
admin-not-key-value = `{ $pair }` — это не `ключ = значение`.
admin-stats-title = Статистика магазина
admin-stats-today = Сегодня
admin-stats-all-time = За всё время
admin-stats-approval = Доля одобрений
admin-stats-review-time = Медианное время проверки
admin-stats-by-state = Заказы по состояниям
admin-stats-per-server = Активные подписки по серверам
admin-stats-top-plans = Популярные тарифы
admin-stats-by-policy = Выручка по политикам цен
admin-stats-by-provider = Выручка по провайдерам
admin-stats-plan-line = { $plan } — { $orders ->
    [one] { $orders } заказ
    [few] { $orders } заказа
   *[many] { $orders } заказов
}, { $revenue }
admin-stats-footer = На { $when } (UTC). В выручку входят выполненные заказы.
admin-not-a-date = `{ $text }` — не дата вида 2026-11-24.
admin-out-of-range = `{ $text }` вне допустимого диапазона.
admin-from-after-to = `from` должно быть не позже `to`.
admin-export-failed = Экспорт не удался: { $why }.
admin-exported = { $rows } ({ $what }) с { $from } по { $to } (UTC).
admin-audit-title = Журнал действий
admin-audit-older = Более ранние записи: `{ $command }` (с теми же фильтрами).
admin-expiring-needs-days = Для `expiring` нужно `days`.
admin-plan-needs-id = Для `plan` нужен id тарифа.
admin-not-a-segment = `{ $segment }` — не сегмент: all, active, expiring, expired или plan.
admin-setup-done = Магазин настроен, витрина опубликована.
admin-setup-no-panel = Сохранено, но витрину опубликовать не удалось: { $why }
admin-setup-unchecked = Не удалось проверить, может ли роль администраторов пользоваться админ-командами; `nebula doctor` тоже это проверяет.
admin-role-cannot-use = Участники с ролью { $role } пока не могут пользоваться { $commands }: Discord показывает эти команды участникам с правом «Управлять сервером». В настройках сервера → Интеграции → этот бот добавьте { $role } к командам (или ко всем сразу) либо дайте роли право «Управлять сервером».
admin-no-plan = Тарифа `{ $id }` нет.
admin-no-server = Сервера `{ $id }` нет.
cmd-order-reset-traffic = сбросить-трафик
cmd-order-reset-traffic-desc = Начать расход трафика заказа с нуля (на всех его серверах)
cmd-policy-upload = загрузить
cmd-policy-upload-desc = Установить политику (.wasm): проверки, тестовые векторы, пробный прогон, запуск
cmd-policy-dry-run = пробный-прогон
cmd-policy-dry-run-desc = Что политика решила бы по недавним реальным заказам, без установки

## Страница подписки (в браузере по ссылке-подписке)

page-used = Израсходовано { $used } из { $total }.
page-subscriptions = Подписки
page-subscription = { $plan }: { $status }, до { $until } (осталось { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
})
page-status-used-up = трафик израсходован
page-links = Ссылки
page-qr = QR-код
page-apps = Приложения
page-apps-intro = Добавьте адрес этой страницы как подписку в одно из них:
page-platform-ios = iPhone и iPad
page-support = Поддержка

## Оповещения в канале проверки (ошибки панели или провайдера приводятся как есть)

alert-provisioning-failed = Выдача доступа по заказу { $code } не удалась после попытки { $attempts }: { $error }
alert-payment-not-awaited = Пришёл платёж { $provider } ({ $reference }, { $paid }) по заказу { $code }, который { $state } и больше не ждёт оплаты. Верните деньги или выполните заказ вручную.
alert-checkout-failed = Не удалось открыть оплату { $provider } для заказа { $code } после { $attempts } попыток: { $error }. Покупатель может заплатить иначе или прислать скриншот.
alert-move-failed = Не удалось перенести подписку { $subscription } ({ $client }) на сервер { $server } после { $attempts } попыток: { $error }. Она остаётся на месте; проверка здоровья снова запланирует перенос.
alert-panel-disable = отключить { $client }
alert-panel-delete = удалить { $client }
alert-panel-reset = сбросить трафик { $client }
alert-panel-failed = Не удалось { $what } на сервере { $server } после { $attempts } попыток: { $error }. Проверьте панель.
alert-discord-failed = Не удалось выполнить «{ $effect }» после { $attempts } попыток: { $error }
alert-drift = Сверка нашла расхождений на сервере { $server }: { $count } (ничего не изменено):
alert-drift-more = …и ещё { $more } (см. журнал действий)
alert-server-up = Сервер { $server } снова работает (был недоступен { $minutes } мин).
alert-server-down = Сервер { $server } не работает с { $since }: { $error }. Новым заказам он не предлагается, пока не ответит.
alert-moves-stuck = Подписки на сервере { $server } ({ $count }) нужно перенести, но некуда: { $reason }. Добавьте сервер или освободите место.
alert-policy-failed = Политика { $policy } ({ $hash }) дала сбой: { $error }. Покупать нельзя, пока она не заработает: откатите её через `/policy rollback` или исправьте настройки через `/policy config`.

## Параметры слеш-команд (описания; имена — английские)

cmd-setup-shop_channel-desc = Где находится витрина магазина
cmd-setup-review_channel-desc = Где администраторы проверяют оплаты
cmd-setup-order_category-desc = Категория для личных каналов заказов
cmd-setup-admin_role-desc = Кто может подтверждать, отклонять и управлять
cmd-plan-add-id-desc = Например, `month-50gb`
cmd-plan-add-name-desc = Видно покупателям
cmd-plan-add-days-desc = Срок в днях
cmd-plan-add-traffic_gb-desc = Лимит трафика в ГБ (0 — без ограничений)
cmd-plan-add-devices-desc = Одновременных устройств (0 — без ограничений)
cmd-plan-add-price-desc = Например, `250 EGP` или `9.99 USD`
cmd-plan-add-sort-desc = Место на витрине (меньше — выше)
cmd-plan-add-servers-desc = На скольких серверах даёт доступ (общий лимит; по умолчанию 1)
cmd-plan-add-regions-desc = Только эти регионы через запятую, сначала по серверу в каждом (`-` — любые)
cmd-plan-add-trial-desc = Бесплатный пробный: цена 0, до 14 дней, раз на аккаунт, без оплаты
cmd-plan-add-trial_role-desc = Пробный только для участников с этой ролью
cmd-plan-edit-id-desc = Тариф
cmd-plan-edit-name-desc = Видно покупателям
cmd-plan-edit-days-desc = Срок в днях
cmd-plan-edit-traffic_gb-desc = Лимит трафика в ГБ (0 — без ограничений)
cmd-plan-edit-devices-desc = Одновременных устройств (0 — без ограничений)
cmd-plan-edit-price-desc = Например, `250 EGP` или `9.99 USD`
cmd-plan-edit-sort-desc = Место на витрине (меньше — выше)
cmd-plan-edit-servers-desc = На скольких серверах даёт доступ (общий лимит; по умолчанию 1)
cmd-plan-edit-regions-desc = Только эти регионы через запятую, сначала по серверу в каждом (`-` — любые)
cmd-plan-edit-trial-desc = Бесплатный пробный: цена 0, до 14 дней, раз на аккаунт, без оплаты
cmd-plan-edit-trial_role-desc = Пробный только для участников с этой ролью
cmd-plan-edit-active-desc = В продаже
cmd-plan-disable-id-desc = Тариф
cmd-method-add-id-desc = Например, `vodafone-cash`
cmd-method-add-label-desc = Надпись на кнопке
cmd-method-add-kind-desc = Как платят покупатели
cmd-method-add-instructions-desc = Что делать; можно {"{"}amount{"}"} и {"{"}order{"}"}
cmd-method-add-min-desc = Наименьшая сумма, например `50 EGP`
cmd-method-add-max-desc = Наибольшая сумма
cmd-method-add-provider-desc = Автоматическая оплата через (manual — скриншоты)
cmd-method-edit-id-desc = Способ оплаты
cmd-method-edit-label-desc = Надпись на кнопке
cmd-method-edit-kind-desc = Как платят покупатели
cmd-method-edit-instructions-desc = Можно {"{"}amount{"}"} и {"{"}order{"}"}
cmd-method-edit-min-desc = Наименьшая сумма (`none` — убрать)
cmd-method-edit-max-desc = Наибольшая сумма (`none` — убрать)
cmd-method-edit-enabled-desc = Предлагается
cmd-method-edit-provider-desc = Автоматическая оплата через (manual — скриншоты)
cmd-method-disable-id-desc = Способ оплаты
cmd-server-add-id-desc = Например, `fra-1`
cmd-server-add-name-desc = Название, понятное администраторам
cmd-server-add-region-desc = Например, `eu`, `us-east`
cmd-server-add-gateway_url-desc = Базовый URL шлюза
cmd-server-add-key_id-desc = Каким ключом подписи магазин пользуется для него
cmd-server-add-inbound_id-desc = Inbound 3x-ui для новых клиентов
cmd-server-add-public_host-desc = Хост, к которому подключаются покупатели
cmd-server-add-capacity-desc = Сколько активных подписок он принимает
cmd-server-add-tags-desc = Через запятую
cmd-server-edit-id-desc = Сервер
cmd-server-edit-name-desc = Название, понятное администраторам
cmd-server-edit-region-desc = Например, `eu`, `us-east`
cmd-server-edit-gateway_url-desc = Базовый URL шлюза
cmd-server-edit-key_id-desc = Каким ключом подписи магазин пользуется для него
cmd-server-edit-inbound_id-desc = Inbound 3x-ui для новых клиентов
cmd-server-edit-public_host-desc = Хост, к которому подключаются покупатели
cmd-server-edit-capacity-desc = Сколько активных подписок он принимает
cmd-server-edit-tags-desc = Через запятую
cmd-server-drain-id-desc = Сервер
cmd-server-remove-id-desc = Сервер
cmd-server-status-id-desc = Сервер
cmd-order-view-code-desc = Например, NL-7K3F9Q2A
cmd-order-retry-code-desc = Например, NL-7K3F9Q2A
cmd-order-cancel-code-desc = Например, NL-7K3F9Q2A
cmd-order-reset-traffic-code-desc = Например, NL-7K3F9Q2A
cmd-export-what-desc = orders (заказы) или subscriptions (подписки)
cmd-export-format-desc = csv (по умолчанию) или json
cmd-export-from-desc = Первый день, ГГГГ-ММ-ДД (по умолчанию 30 дней назад)
cmd-export-to-desc = Последний день, ГГГГ-ММ-ДД (по умолчанию сегодня)
cmd-audit-actor-desc = Только действия этого участника
cmd-audit-order-desc = Только этот заказ (например, NL-7K3F9Q2A)
cmd-audit-action-desc = Только действия, начинающиеся так (например, order.)
cmd-audit-before-desc = Старше записи с этим номером (следующая страница)
cmd-policy-upload-kind-desc = pricing, payment-methods или server-selection
cmd-policy-upload-file-desc = Компонент .wasm
cmd-policy-upload-name-desc = Название (по умолчанию имя файла)
cmd-policy-dry-run-kind-desc = pricing, payment-methods или server-selection
cmd-policy-dry-run-file-desc = Компонент .wasm
cmd-policy-activate-kind-desc = pricing, payment-methods или server-selection
cmd-policy-activate-version-desc = Его sha256
cmd-policy-rollback-kind-desc = pricing, payment-methods или server-selection
cmd-policy-rollback-version-desc = Его sha256
cmd-policy-config-kind-desc = pricing, payment-methods или server-selection
cmd-policy-config-settings-desc = Пары `ключ = значение` через `;` (пусто — очистить)
cmd-broadcast-segment-desc = Кому отправить
cmd-broadcast-segment-all = все покупатели
cmd-broadcast-segment-active = активный доступ
cmd-broadcast-segment-expiring = доступ кончается в течение `days`
cmd-broadcast-segment-expired = доступ закончился
cmd-broadcast-segment-plan = активны на `plan`
cmd-broadcast-message-desc = Что они прочитают
cmd-broadcast-days-desc = Для `expiring`: в течение скольких дней
cmd-broadcast-plan-desc = Для `plan`: id тарифа

## Политики (/policy)

policy-line = { $kind } `{ $hash }` { $name } ({ $bytes } байт, { $installed })
policy-live = действует
policy-installed = **{ $name }** теперь действующая политика { $kind } (`{ $hash }`). Тестовых векторов пройдено: { $vectors }; на последних { $checked } реальных заказах решает иначе в { $changed } случаях.
policy-dry-run = Не установлена. Тестовых векторов пройдено: { $vectors }; на последних { $checked } реальных заказах решила бы иначе в { $changed } случаях.
policy-activated = **{ $name }** (`{ $hash }`) теперь действующая политика { $kind }.
policy-configured = Политика { $kind } **{ $name }** теперь работает с настройками: { $count }.
policy-no-match = Нет сохранённой политики { $kind }, начинающейся с `{ $prefix }`.
policy-ambiguous = `{ $prefix }` подходит к нескольким версиям; укажите больше знаков sha256.
