/** HTML the fake Amazon serves, shaped like the real pages in the parts a checker looks at. */

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function productPage(host: string, asin: string, title: string): string {
  const store = host.replace(/^www\./, "").replace(/^amazon/, "Amazon");
  return `<!doctype html>
<html lang="en-us"><head><meta charset="utf-8">
<title>${store}: ${escape(title)}</title>
<link rel="canonical" href="https://${host}/${escape(title.replace(/\W+/g, "-"))}/dp/${asin}">
</head><body>
<div id="dp" class="book"><div id="titleSection">
  <h1 id="title" class="a-size-large a-spacing-none">
    <span id="productTitle" class="a-size-large product-title-word-break">        ${escape(title)}       </span>
  </h1>
</div>
<div id="averageCustomerReviews" data-asin="${asin}"></div>
<form id="addToCart" action="/cart/add-to-cart/ref=dp_start-bbf_1_glance" method="post"><input type="hidden" name="ASIN" value="${asin}"></form>
</div></body></html>
`;
}

/** Amazon's "dog" page, served with 404 for an ASIN that does not exist. */
export function notFoundPage(): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Page Not Found</title></head>
<body><div style="text-align:center">
<a href="/ref=cs_404_logo"><img alt="Amazon" src="https://images-na.ssl-images-amazon.com/images/G/01/error/logo._TTD_.png"></a>
<b class="h1">Looking for something?</b>
<p>We're sorry. The Web address you entered is not a functioning page on our site.</p>
<p><img alt="Sorry! We couldn't find that page. Try searching or go to Amazon's home page." src="https://images-na.ssl-images-amazon.com/images/G/01/error/title._TTD_.png"></p>
<a href="/dogsofamazon/ref=cs_404_link"><img alt="Dogs of Amazon" src="https://images-na.ssl-images-amazon.com/images/G/01/error/1._TTD_.jpg"></a>
</div></body></html>
`;
}

/** The robot check: Amazon sends it with 200 (most often) or 503. */
export function captchaPage(): string {
  return `<!doctype html>
<html class="a-no-js" lang="en-us"><head><meta charset="utf-8">
<title dir="ltr">Amazon.com</title>
</head><body>
<!--
        To discuss automated access to Amazon data please contact api-services-support@amazon.com.
        For information about migrating to our APIs refer to our Marketplace APIs at https://developer.amazonservices.com/ref=rm_c_sv, or our Product Advertising API at https://affiliate-program.amazon.com/gp/advertising/api/detail/main.html/ref=rm_c_ac for advertising use cases.
-->
<div class="a-container a-padding-double-large">
  <h4>Enter the characters you see below</h4>
  <p class="a-last">Sorry, we just need to make sure you're not a robot. For best results, please make sure your browser is accepting cookies.</p>
  <form method="get" action="/errors/validateCaptcha" name="">
    <input type=hidden name="amzn" value="fake" /><input type=hidden name="amzn-r" value="&#047;dp&#047;B000000000" />
    <img src="https://images-na.ssl-images-amazon.com/captcha/fake/Captcha_fake.jpg">
    <input autocomplete="off" spellcheck="false" placeholder="Type characters" id="captchacharacters" name="field-keywords" type="text">
    <button type="submit" class="a-button-text">Continue shopping</button>
  </form>
</div></body></html>
`;
}

/** A 503 that is NOT a captcha (Amazon's "something went wrong" page). */
export function serverErrorPage(): string {
  return `<!doctype html><html><head><title>Sorry! Something went wrong!</title></head><body><h1>Sorry! Something went wrong on our end.</h1></body></html>\n`;
}
