/* Event locations on an equirectangular projection drawn offline: graticule, a rough land outline, points. */
"use strict";

(() => {
  const SCALE = 2, WIDTH = 360 * SCALE, HEIGHT = 180 * SCALE;
  const data = ew.pageData();
  const root = document.getElementById("map");

  // A deliberately coarse outline of the land, [longitude, latitude] rings: enough to find one's way.
  const LAND = [
    [[-168,66],[-162,70],[-140,70],[-125,70],[-95,72],[-80,73],[-62,66],[-64,60],[-56,52],[-66,45],[-70,42],[-76,35],
     [-81,31],[-80,25],[-82,27],[-84,30],[-90,29],[-97,27],[-97,21],[-92,18],[-88,21],[-87,16],[-83,10],[-79,9],
     [-80,8],[-85,10],[-92,14],[-105,20],[-110,24],[-115,30],[-118,34],[-124,40],[-124,48],[-132,55],[-140,60],
     [-152,59],[-158,56],[-165,60]],
    [[-80,8],[-77,9],[-72,12],[-62,11],[-52,5],[-50,0],[-44,-2],[-35,-6],[-39,-14],[-41,-22],[-48,-26],[-53,-34],
     [-58,-38],[-62,-40],[-65,-45],[-68,-51],[-70,-55],[-74,-52],[-74,-45],[-73,-37],[-71,-30],[-70,-18],[-76,-14],
     [-81,-6],[-80,0],[-78,3],[-77,7]],
    [[-45,60],[-40,65],[-22,70],[-18,77],[-30,83],[-50,82],[-60,79],[-70,77],[-58,75],[-53,70],[-50,64]],
    [[-9,37],[-9,43],[-2,43],[-1,46],[-4,48],[2,51],[5,53],[8,54],[9,57],[5,58],[5,62],[12,66],[16,69],[24,71],
     [30,70],[40,67],[44,68],[55,69],[70,73],[80,73],[100,77],[113,74],[130,71],[150,71],[160,70],[170,70],[178,65],
     [170,60],[163,57],[156,51],[156,57],[162,61],[150,59],[140,54],[141,48],[135,43],[130,42],[129,35],[126,35],
     [126,38],[122,40],[121,37],[119,35],[121,31],[122,28],[119,25],[114,22],[109,21],[108,16],[109,12],[105,9],
     [103,10],[100,13],[100,7],[104,1],[101,3],[98,8],[98,16],[94,17],[92,22],[89,22],[86,20],[80,15],[80,10],
     [77,8],[73,16],[72,22],[68,23],[66,25],[58,25],[56,27],[52,28],[48,30],[50,26],[52,24],[56,26],[59,22],
     [57,18],[52,16],[45,13],[43,13],[40,20],[35,28],[34,31],[36,36],[30,37],[27,37],[26,40],[23,40],[22,37],
     [20,40],[19,42],[14,45],[12,45],[16,41],[18,40],[16,38],[12,38],[10,44],[7,44],[3,43],[0,40],[-1,37],[-5,36]],
    [[-17,21],[-17,15],[-15,11],[-8,5],[-4,5],[2,6],[9,4],[10,0],[13,-6],[12,-15],[15,-27],[18,-34],[20,-35],
     [26,-34],[31,-30],[35,-24],[35,-18],[40,-15],[40,-10],[39,-5],[42,0],[48,5],[51,11],[44,11],[43,13],[39,17],
     [37,21],[35,26],[33,30],[32,31],[25,32],[20,31],[19,30],[15,32],[11,33],[10,37],[3,37],[-2,35],[-6,36],
     [-10,31],[-13,28]],
    [[114,-22],[114,-34],[118,-35],[124,-34],[132,-32],[136,-35],[140,-38],[146,-39],[150,-37],[153,-31],[153,-25],
     [146,-19],[145,-14],[142,-11],[141,-17],[136,-12],[132,-11],[127,-14],[122,-18]],
    [[-5,50],[1,51],[2,53],[0,54],[-2,57],[-3,59],[-6,58],[-5,55],[-3,54],[-5,52]],
    [[-10,52],[-6,52],[-6,55],[-8,55],[-10,54]],
    [[-24,65],[-18,66],[-14,65],[-19,63],[-24,64]],
    [[130,31],[132,34],[135,34],[140,36],[141,40],[142,43],[145,44],[141,45],[140,41],[139,38],[136,36],[132,35]],
    [[44,-25],[47,-25],[50,-15],[49,-12],[44,-16]],
    [[109,1],[110,-3],[116,-4],[119,1],[117,7],[114,4]],
    [[95,5],[98,4],[104,-2],[106,-6],[101,-3]],
    [[172,-34],[178,-38],[174,-41],[171,-45],[167,-46],[172,-41]],
    [[-180,-90],[-180,-72],[-120,-73],[-60,-64],[0,-70],[60,-67],[120,-66],[180,-70],[180,-90]],
  ];

  const x = lon => (lon + 180) * SCALE;
  const y = lat => (90 - lat) * SCALE;

  function ring(points) {
    return points.map(([lon, lat], i) => `${i ? "L" : "M"}${x(lon)},${y(lat)}`).join(" ") + " Z";
  }

  function graticule() {
    const group = ew.svg("g", {class: "graticule"});
    for (let lon = -180; lon <= 180; lon += 30) {
      group.append(ew.svg("line", {x1: x(lon), x2: x(lon), y1: 0, y2: HEIGHT, class: lon === 0 ? "major" : null}));
      if (lon > -180 && lon < 180) group.append(ew.svg("text", {x: x(lon) + 2, y: HEIGHT - 4, text: `${lon}°`}));
    }
    for (let lat = -90; lat <= 90; lat += 30) {
      group.append(ew.svg("line", {x1: 0, x2: WIDTH, y1: y(lat), y2: y(lat), class: lat === 0 ? "major" : null}));
      if (lat > -90 && lat < 90) group.append(ew.svg("text", {x: 2, y: y(lat) - 2, text: `${lat}°`}));
    }
    return group;
  }

  function point(place) {
    const tone = place.cooperation * 2 > place.n ? "cooperation" : "conflict";
    const name = place.place || `${place.lat}, ${place.lon}`;
    const label = `${name}${place.country ? " (" + place.country + ")" : ""}: ${place.n} event${place.n === 1 ? "" : "s"}`;
    const dot = ew.svg("circle", {class: `point tone-${tone}`, cx: x(place.lon).toFixed(1), cy: y(place.lat).toFixed(1),
                                  r: Math.min(14, 2.5 + 1.6 * Math.sqrt(place.n)).toFixed(1), tabindex: 0,
                                  role: "button", "aria-label": label},
                       ew.svg("title", {text: label}));
    const pick = () => pickPlace(dot, place, label);
    dot.addEventListener("click", pick);
    dot.addEventListener("keydown", event => { if (event.key === "Enter" || event.key === " ") pick(); });
    return dot;
  }

  async function pickPlace(dot, place, label) {
    for (const other of root.querySelectorAll(".point.selected")) other.classList.remove("selected");
    dot.classList.add("selected");
    ew.showHint("Loading…");
    try {
      const answer = await ew.getJSON("/api/map/place", {...data.filters, lat: place.lat, lon: place.lon});
      ew.showEvents(label, answer.items, place.n);
    } catch (error) {
      ew.failed(error);
    }
  }

  function draw(answer) {
    ew.clear(root);
    ew.showEmpty("map-empty", answer.items.length === 0);
    root.append(ew.svg("rect", {class: "sea", x: 0, y: 0, width: WIDTH, height: HEIGHT}),
                ew.svg("g", {class: "land"}, ...LAND.map(r => ew.svg("path", {d: ring(r)}))),
                graticule(),
                ew.svg("g", {class: "points"}, ...answer.items.slice().reverse().map(point)));
    root.dataset.ready = "true";
  }

  ew.getJSON(data.api, data.filters).then(draw).catch(ew.failed);
})();
