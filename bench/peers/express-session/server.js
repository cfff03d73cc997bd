// The classic express-session example tailor's project started from: store a name
// in the session, read it back. MemoryStore, resave: true, saveUninitialized: true.
const express = require('express');
const session = require('express-session');

const app = express();
app.use(express.json());
app.use(session({
  secret: 'bench secret, not for production',
  resave: true,
  saveUninitialized: true,
  cookie: { httpOnly: true, sameSite: 'lax' },
}));

app.post('/name', (req, res) => {
  req.session.name = String(req.body.name || '');
  res.json({ name: req.session.name });
});

app.get('/name', (req, res) => {
  res.json({ name: req.session.name || null });
});

const port = Number(process.env.PORT || 3000);
app.listen(port, '127.0.0.1', () => console.log(`express-session peer on ${port}`));
