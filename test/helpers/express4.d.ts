// `express4` is Express 4 installed under an alias so the contract suite runs the Express adapter
// on both majors. Its API as used here (app, json(), routing, listen) matches Express 5's types.
declare module 'express4' {
  import express from 'express';
  export default express;
}
